/**
 * The boundary between the control plane and whatever runs the containers. The control plane decides what
 * should happen (status machine, jobs, permissions); a driver makes it happen on real or simulated nodes and
 * reports node state and log lines. Every method must be safe to call again after a crash halfway through:
 * a job whose node died is handed to another node's driver, which repeats the whole step.
 */

/** One role of the topology: `count` nodes running `image`, each with `cloudlets` (128 MiB RAM + 400 MHz CPU). */
export interface NodeSpec {
  role: string;
  image: string;
  count: number;
  cloudlets: number;
}

/** What a driver is told about the environment it acts on. */
export interface RuntimeTarget {
  environmentId: string;
  name: string;
  /** The desired topology. */
  nodes: readonly NodeSpec[];
  variables: Readonly<Record<string, string>>;
}

export interface ProvisionOptions {
  /** The application to deploy once the nodes run (a clone copies its source's). */
  source?: string | null;
  /** The name of the environment this one is cloned from. */
  clonedFrom?: string | null;
}

export interface ExecResult {
  /** The node's host name, e.g. `app-1`. */
  node: string;
  role: string;
  ordinal: number;
  exitCode: number;
  output: string;
}

export interface LogLine {
  id: string;
  at: Date;
  /** Where the line comes from: `platform`, or a node's host name such as `app-1`. */
  source: string;
  line: string;
}

export interface LogPage {
  items: LogLine[];
  nextCursor: string | null;
}

export interface LogQuery {
  limit: number;
  /** The cursor of the previous page: lines older than it. */
  cursor?: string | undefined;
  /** Only the lines of this source. */
  source?: string | undefined;
}

/** A step the runtime could not complete; its message becomes the environment's status reason. */
export class RuntimeError extends Error {}

/** The operations DESIGN.md section 8 names. A real driver plugs in behind this interface, in place of the simulation. */
export interface RuntimeDriver {
  /** A short name for logs and the health page, e.g. `simulated`. */
  readonly name: string;
  /** Creates the nodes of a new environment, starts them and deploys `options.source` if any. */
  provision(target: RuntimeTarget, options?: ProvisionOptions): Promise<void>;
  start(target: RuntimeTarget): Promise<void>;
  stop(target: RuntimeTarget): Promise<void>;
  restart(target: RuntimeTarget): Promise<void>;
  /** Brings the nodes in line with `target.nodes`: adds, removes and resizes. `running` says whether new nodes start. */
  scale(target: RuntimeTarget, running: boolean): Promise<void>;
  deploy(target: RuntimeTarget, source: string): Promise<void>;
  /** Runs a command on the nodes of `role` (all nodes when absent) and answers each node's output. */
  exec(target: RuntimeTarget, command: string, role?: string): Promise<ExecResult[]>;
  /** The environment's log lines, newest first. */
  logs(environmentId: string, query: LogQuery): Promise<LogPage>;
  /** Removes every node of the environment. */
  destroy(target: RuntimeTarget): Promise<void>;
}
