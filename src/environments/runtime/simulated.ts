import { and, desc, eq, lt } from 'drizzle-orm';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { environmentLogs, nodes } from '../../db/schema/index.js';
import { ENVIRONMENT_DOMAIN } from '../present.js';
import type { ExecResult, LogPage, LogQuery, NodeSpec, ProvisionOptions, RuntimeDriver, RuntimeTarget } from './driver.js';
import {
  applicationRoles,
  hashNumber,
  hostName,
  nodeAddress,
  readyLine,
  resources,
  simulateCommand,
  startOrder,
  stopLine,
} from './simulated-output.js';

export interface SimulatedRuntimeOptions {
  db: Db;
  clock: Clock;
  /** Latency of every simulated step (RUNTIME_DELAY_MS); 0 in tests. */
  delayMs: number;
  /** The domain environments are reachable under, for the log lines that name it. */
  domain?: string;
}

/**
 * A SIMULATION of a container runtime, built in so Shareplane runs with no infrastructure at all. No container is
 * created: every step waits `delayMs`, writes per-node state to the `nodes` table and writes the log lines a real
 * platform would print (provisioning, image pulls, container start and stop, deploys, command output) to
 * `environment_logs`. Replace it with a real driver implementing {@link RuntimeDriver}.
 */
export class SimulatedRuntimeDriver implements RuntimeDriver {
  readonly name = 'simulated';
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly delayMs: number;
  private readonly domain: string;

  constructor(options: SimulatedRuntimeOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.delayMs = options.delayMs;
    this.domain = options.domain ?? ENVIRONMENT_DOMAIN;
  }

  async provision(target: RuntimeTarget, options: ProvisionOptions = {}): Promise<void> {
    const total = target.nodes.reduce((sum, spec) => sum + spec.count, 0);
    const cloudlets = target.nodes.reduce((sum, spec) => sum + spec.count * spec.cloudlets, 0);
    await this.log(target, 'platform', `Creating environment ${target.name}: ${total} node(s), ${resources(cloudlets)}`);
    if (options.clonedFrom) {
      await this.step();
      await this.log(target, 'platform', `Cloning from ${options.clonedFrom}: copying topology, variables and data volumes ... done`);
    }
    for (const spec of startOrder(target.nodes)) {
      await this.pull(target, spec.image);
      for (let ordinal = 1; ordinal <= spec.count; ordinal++) await this.createNode(target, spec, ordinal);
    }
    for (const spec of startOrder(target.nodes)) {
      for (let ordinal = 1; ordinal <= spec.count; ordinal++) await this.startNode(target, spec, ordinal);
    }
    if (options.source) await this.deploy(target, options.source);
    await this.log(target, 'platform', `Environment ${target.name} is running at https://${target.name}.${this.domain}`);
  }

  async start(target: RuntimeTarget): Promise<void> {
    await this.log(target, 'platform', `Starting environment ${target.name}`);
    for (const spec of startOrder(target.nodes)) {
      for (let ordinal = 1; ordinal <= spec.count; ordinal++) await this.startNode(target, spec, ordinal);
    }
    await this.log(target, 'platform', `Environment ${target.name} is running at https://${target.name}.${this.domain}`);
  }

  async stop(target: RuntimeTarget): Promise<void> {
    await this.log(target, 'platform', `Stopping environment ${target.name}`);
    for (const spec of startOrder(target.nodes).reverse()) {
      for (let ordinal = spec.count; ordinal >= 1; ordinal--) await this.stopNode(target, spec, ordinal);
    }
    await this.log(target, 'platform', `Environment ${target.name} is stopped; its nodes keep their data`);
  }

  async restart(target: RuntimeTarget): Promise<void> {
    await this.log(target, 'platform', `Restarting environment ${target.name}, one node at a time`);
    for (const spec of startOrder(target.nodes)) {
      for (let ordinal = 1; ordinal <= spec.count; ordinal++) {
        const host = hostName(spec.role, ordinal);
        await this.step();
        await this.setNode(target, spec, ordinal, 'restarting');
        await this.log(target, host, stopLine(spec.image));
        await this.setNode(target, spec, ordinal, 'running');
        await this.log(target, host, readyLine(spec.image));
        await this.log(target, 'platform', `Restarting container ${host} ... done`);
      }
    }
    await this.log(target, 'platform', `Environment ${target.name} restarted`);
  }

  async scale(target: RuntimeTarget, running: boolean): Promise<void> {
    const summary = target.nodes.map((spec) => `${spec.role} ×${spec.count} (${spec.image}, ${spec.cloudlets} cloudlets)`).join(', ');
    await this.log(target, 'platform', `Applying topology: ${summary}`);
    const existing = await this.db.select().from(nodes).where(eq(nodes.environmentId, target.environmentId));
    const wanted = new Set(target.nodes.flatMap((spec) => Array.from({ length: spec.count }, (_, i) => hostName(spec.role, i + 1))));
    for (const node of existing.filter((row) => !wanted.has(hostName(row.role, row.ordinal)))) {
      await this.step();
      await this.db.delete(nodes).where(eq(nodes.id, node.id));
      await this.log(target, 'platform', `Removing container ${hostName(node.role, node.ordinal)} ... done`);
    }
    for (const spec of startOrder(target.nodes)) {
      const have = new Set(existing.filter((row) => row.role === spec.role).map((row) => row.ordinal));
      if (have.size < spec.count) await this.pull(target, spec.image);
      for (let ordinal = 1; ordinal <= spec.count; ordinal++) {
        if (have.has(ordinal)) {
          await this.step();
          await this.log(target, 'platform', `Reconfiguring container ${hostName(spec.role, ordinal)}: ${spec.image}, ${resources(spec.cloudlets)} ... done`);
          continue;
        }
        await this.createNode(target, spec, ordinal);
        if (running) await this.startNode(target, spec, ordinal);
      }
    }
    await this.log(target, 'platform', 'Topology applied');
  }

  async deploy(target: RuntimeTarget, source: string): Promise<void> {
    const revision = hashNumber(`${target.environmentId}:${source}`, 0xfffffff).toString(16).padStart(7, '0');
    await this.log(target, 'platform', `Deploying ${source}`);
    await this.step();
    const fetched = /^(git@|git:|ssh:)|\.git$/.test(source) ? `done (commit ${revision})` : `done (${(hashNumber(source, 400) / 10 + 1).toFixed(1)} MiB)`;
    await this.log(target, 'platform', `Fetching ${source} ... ${fetched}`);
    await this.step();
    await this.log(target, 'platform', 'Building application ... done');
    const roles = applicationRoles(target.nodes);
    for (const spec of target.nodes.filter((candidate) => roles.includes(candidate.role))) {
      for (let ordinal = 1; ordinal <= spec.count; ordinal++) {
        const host = hostName(spec.role, ordinal);
        await this.step();
        await this.log(target, 'platform', `Updating ${host} to ${revision} ... done`);
        await this.log(target, host, `Application ${revision} started`);
      }
    }
    await this.log(target, 'platform', `Deployment of ${source} finished`);
  }

  async exec(target: RuntimeTarget, command: string, role?: string): Promise<ExecResult[]> {
    const specs = target.nodes.filter((spec) => role === undefined || spec.role === role);
    const rows = await this.db.select().from(nodes).where(eq(nodes.environmentId, target.environmentId));
    const results: ExecResult[] = [];
    for (const spec of specs) {
      for (const node of rows.filter((row) => row.role === spec.role).sort((a, b) => a.ordinal - b.ordinal)) {
        const host = hostName(node.role, node.ordinal);
        await this.step();
        const outcome = simulateCommand(command, {
          host,
          address: node.address ?? '',
          image: spec.image,
          cloudlets: spec.cloudlets,
          variables: target.variables,
          now: this.clock.now(),
        });
        // The output goes back to the caller only: it can print variables (secrets), and the logs are readable
        // with env.logs alone. The log records that the command ran and how it ended.
        await this.log(target, host, `$ ${command}`);
        await this.log(target, host, `[exit ${outcome.exitCode}]`);
        results.push({ node: host, role: node.role, ordinal: node.ordinal, ...outcome });
      }
    }
    return results;
  }

  async logs(environmentId: string, query: LogQuery): Promise<LogPage> {
    const before = query.cursor && /^\d{1,18}$/.test(query.cursor) ? Number(query.cursor) : undefined;
    const rows = await this.db
      .select()
      .from(environmentLogs)
      .where(
        and(
          eq(environmentLogs.environmentId, environmentId),
          before === undefined ? undefined : lt(environmentLogs.id, before),
          query.source ? eq(environmentLogs.source, query.source) : undefined,
        ),
      )
      .orderBy(desc(environmentLogs.id))
      .limit(query.limit + 1);
    const items = rows.slice(0, query.limit).map((row) => ({ id: String(row.id), at: row.at, source: row.source, line: row.line }));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? last.id : null };
  }

  async destroy(target: RuntimeTarget): Promise<void> {
    await this.log(target, 'platform', `Deleting environment ${target.name}`);
    const existing = await this.db.select().from(nodes).where(eq(nodes.environmentId, target.environmentId));
    for (const node of existing.sort((a, b) => b.ordinal - a.ordinal)) {
      await this.step();
      await this.db.delete(nodes).where(eq(nodes.id, node.id));
      await this.log(target, 'platform', `Removing container ${hostName(node.role, node.ordinal)} and its volumes ... done`);
    }
    await this.log(target, 'platform', `Environment ${target.name} deleted; the domain ${target.name}.${this.domain} is released`);
  }

  private async pull(target: RuntimeTarget, image: string): Promise<void> {
    await this.step();
    const layers = hashNumber(image, 6) + 3;
    await this.log(target, 'platform', `Pulling image ${image} ... done (${layers} layers)`);
  }

  private async createNode(target: RuntimeTarget, spec: NodeSpec, ordinal: number): Promise<void> {
    await this.step();
    const address = await this.setNode(target, spec, ordinal, 'stopped');
    await this.log(target, 'platform', `Creating container ${hostName(spec.role, ordinal)} (${resources(spec.cloudlets)}) at ${address} ... done`);
  }

  private async startNode(target: RuntimeTarget, spec: NodeSpec, ordinal: number): Promise<void> {
    const host = hostName(spec.role, ordinal);
    await this.step();
    await this.setNode(target, spec, ordinal, 'running');
    await this.log(target, host, readyLine(spec.image));
    await this.log(target, 'platform', `Starting container ${host} ... done`);
  }

  private async stopNode(target: RuntimeTarget, spec: NodeSpec, ordinal: number): Promise<void> {
    const host = hostName(spec.role, ordinal);
    await this.step();
    await this.setNode(target, spec, ordinal, 'stopped');
    await this.log(target, host, stopLine(spec.image));
    await this.log(target, 'platform', `Stopping container ${host} ... done`);
  }

  /** Writes one node's state; an upsert, so a step repeated after a crash finds the row it left. */
  private async setNode(target: RuntimeTarget, spec: NodeSpec, ordinal: number, status: string): Promise<string> {
    const roleIndex = target.nodes.findIndex((candidate) => candidate.role === spec.role);
    const address = nodeAddress(target.environmentId, roleIndex, ordinal);
    await this.db
      .insert(nodes)
      .values({ environmentId: target.environmentId, role: spec.role, ordinal, status, address })
      .onConflictDoUpdate({ target: [nodes.environmentId, nodes.role, nodes.ordinal], set: { status, address } });
    return address;
  }

  private async log(target: RuntimeTarget, source: string, line: string): Promise<void> {
    await this.db.insert(environmentLogs).values({ environmentId: target.environmentId, at: this.clock.now(), source, line: line.slice(0, 2000) });
  }

  private async step(): Promise<void> {
    if (this.delayMs > 0) await sleep(this.delayMs);
  }
}

