import { createHash } from 'node:crypto';
import type { NodeSpec } from './driver.js';

/** A deterministic number from text, so the simulation says the same thing about the same environment every time. */
export function hashNumber(text: string, modulo: number): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) % modulo;
}

/** The simulated private address of a node. */
export function nodeAddress(environmentId: string, roleIndex: number, ordinal: number): string {
  return `10.${hashNumber(environmentId, 250) + 1}.${(roleIndex % 250) + 1}.${ordinal + 10}`;
}

/** Host name of a node, as logs and exec answers name it. */
export const hostName = (role: string, ordinal: number) => `${role}-${ordinal}`;

/** What one node's program prints once its container is up, by image family. */
export function readyLine(image: string): string {
  const name = image.toLowerCase();
  if (name.includes('nginx')) return 'nginx: start worker processes; listening on 0.0.0.0:80';
  if (name.includes('haproxy')) return 'haproxy: Proxy http-in started; listening on 0.0.0.0:80';
  if (name.includes('postgres')) return 'LOG:  database system is ready to accept connections';
  if (name.includes('mysql') || name.includes('mariadb')) return "mysqld: ready for connections. port: 3306  socket: '/run/mysqld/mysqld.sock'";
  if (name.includes('redis') || name.includes('valkey')) return '* Ready to accept connections tcp';
  if (name.includes('node')) return 'Server listening on http://0.0.0.0:8080';
  if (name.includes('python') || name.includes('django') || name.includes('flask')) return 'Listening at: http://0.0.0.0:8000 (gunicorn)';
  if (name.includes('tomcat') || name.includes('java') || name.includes('jdk')) return 'INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [2417] milliseconds';
  return 'Process started; listening on 0.0.0.0:8080';
}

/** The line a node's program prints when it receives the stop signal. */
export function stopLine(image: string): string {
  const name = image.toLowerCase();
  if (name.includes('postgres')) return 'LOG:  received smart shutdown request; database system is shut down';
  if (name.includes('redis') || name.includes('valkey')) return '# User requested shutdown... Redis is now ready to exit, bye bye...';
  return 'Received SIGTERM; shut down gracefully';
}

/** Resources of `count` nodes of `cloudlets` each, the way the dashboard words them. */
export function resources(cloudlets: number): string {
  return `${cloudlets} cloudlets: ${cloudlets * 128} MiB RAM, ${cloudlets * 400} MHz CPU`;
}

/** Roles that receive application deployments: everything but the infrastructure roles, or all when that leaves none. */
export function applicationRoles(nodes: readonly NodeSpec[]): string[] {
  const infrastructure = new Set(['balancer', 'lb', 'db', 'database', 'cache', 'storage']);
  const app = nodes.filter((spec) => !infrastructure.has(spec.role)).map((spec) => spec.role);
  return app.length > 0 ? app : nodes.map((spec) => spec.role);
}

/** Start order: data first, then applications, then the balancers that send them traffic. Stops go the other way. */
export function startOrder(nodes: readonly NodeSpec[]): NodeSpec[] {
  const rank = (role: string) => (['db', 'database', 'storage'].includes(role) ? 0 : role === 'cache' ? 1 : ['balancer', 'lb'].includes(role) ? 3 : 2);
  return [...nodes].sort((a, b) => rank(a.role) - rank(b.role));
}

interface ExecContext {
  host: string;
  address: string;
  image: string;
  cloudlets: number;
  variables: Readonly<Record<string, string>>;
  now: Date;
}

/** The simulated output and exit code of a shell command on one node. It knows a few everyday commands. */
export function simulateCommand(command: string, node: ExecContext): { exitCode: number; output: string } {
  const [program = '', ...args] = command.trim().split(/\s+/);
  switch (program) {
    case 'echo':
      return { exitCode: 0, output: `${args.join(' ')}\n` };
    case 'hostname':
      return { exitCode: 0, output: `${node.host}\n` };
    case 'whoami':
      return { exitCode: 0, output: 'app\n' };
    case 'pwd':
      return { exitCode: 0, output: '/srv/app\n' };
    case 'date':
      return { exitCode: 0, output: `${node.now.toUTCString()}\n` };
    case 'uname':
      return { exitCode: 0, output: `Linux ${node.host} 6.1.0-shareplane #1 SMP x86_64 GNU/Linux\n` };
    case 'uptime':
      return { exitCode: 0, output: ` ${node.now.toISOString().slice(11, 19)} up 3 min,  0 users,  load average: 0.08, 0.03, 0.01\n` };
    case 'ls':
      return { exitCode: 0, output: 'bin\nconfig\nlogs\npublic\ntmp\n' };
    case 'env':
    case 'printenv': {
      const lines = [`HOSTNAME=${node.host}`, `NODE_IP=${node.address}`, ...Object.entries(node.variables).map(([k, v]) => `${k}=${v}`)];
      return { exitCode: 0, output: `${lines.join('\n')}\n` };
    }
    case 'free': {
      const total = node.cloudlets * 128;
      const used = Math.round(total * 0.37);
      return {
        exitCode: 0,
        output: `               total        used        free\nMem:           ${total}Mi       ${used}Mi       ${total - used}Mi\n`,
      };
    }
    case 'df':
      return { exitCode: 0, output: 'Filesystem      Size  Used Avail Use% Mounted on\noverlay          20G  2.1G   18G  11% /\n' };
    case 'ps':
      return { exitCode: 0, output: `  PID TTY          TIME CMD\n    1 ?        00:00:01 ${node.image.split(':')[0]?.split('/').pop() ?? 'app'}\n   42 ?        00:00:00 ps\n` };
    case 'true':
      return { exitCode: 0, output: '' };
    case 'false':
      return { exitCode: 1, output: '' };
    case 'exit': {
      const code = Number.parseInt(args[0] ?? '0', 10);
      return { exitCode: Number.isInteger(code) && code >= 0 && code <= 255 ? code : 2, output: '' };
    }
    default:
      return { exitCode: 127, output: `sh: 1: ${program}: not found\n` };
  }
}
