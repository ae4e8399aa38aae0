/**
 * A real single-node Slurm cluster for the tests, started and stopped by them: Debian's
 * slurm-wlm and munge (apt; .ci/run installs them), a generated slurm.conf with this machine's
 * hostname and CPU count, munged running as the `munge` user, then slurmctld and slurmd as root —
 * all in a folder of its own with free ports, so two test runs on one machine do not meet. Every
 * daemon is a child of the test process and is stopped by its pid.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const MEMORY_MB = 4096;
const NEEDED = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch', '/usr/bin/squeue'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function idOf(user: string, flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
}

export interface ClusterOptions {
  /** Also define a partition `wide` with a second node that never comes up (for placement checks). */
  ghostNode?: boolean;
}

export class SlurmCluster {
  private readonly daemons: ChildProcess[] = [];
  readonly host = hostname().split('.')[0];

  private constructor(readonly dir: string) {}

  get conf(): string {
    return join(this.dir, 'slurm.conf');
  }

  /** What Slurm's commands need to talk to this cluster. */
  get env(): NodeJS.ProcessEnv {
    return { SLURM_CONF: this.conf };
  }

  static async start(o: ClusterOptions = {}): Promise<SlurmCluster> {
    const missing = NEEDED.filter((f) => !existsSync(f));
    if (missing.length)
      throw new Error(
        `Slurm tests need Debian's slurm-wlm and munge (apt-get install slurm-wlm munge, as .ci/run does); missing ${missing.join(', ')}`,
      );
    const cluster = new SlurmCluster(mkdtempSync(join(tmpdir(), 'stepwise-slurm-')));
    try {
      await cluster.boot(o);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  private async boot(o: ClusterOptions): Promise<void> {
    const d = this.dir;
    chmodSync(d, 0o755);
    const munge = join(d, 'munge');
    for (const sub of ['state', 'spool', 'munge']) mkdirSync(join(d, sub));
    // munged insists: its folder owned by munge and open to all (the socket), the key readable by munge only.
    chownSync(munge, idOf('munge', '-u'), idOf('munge', '-g'));
    chmodSync(munge, 0o755);
    const key = join(munge, 'munge.key');
    if (existsSync('/etc/munge/munge.key')) copyFileSync('/etc/munge/munge.key', key);
    else writeFileSync(key, Buffer.alloc(1024, 7));
    chownSync(key, idOf('munge', '-u'), idOf('munge', '-g'));
    chmodSync(key, 0o400);
    const socket = join(munge, 'munge.socket');
    this.daemon('runuser', [
      '-u',
      'munge',
      '--',
      '/usr/sbin/munged',
      '-F',
      `--socket=${socket}`,
      `--key-file=${key}`,
      `--log-file=${join(munge, 'munged.log')}`,
      `--pid-file=${join(munge, 'munged.pid')}`,
      `--seed-file=${join(munge, 'munged.seed')}`,
    ]);
    await this.waitFor('munged', () => existsSync(socket));
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    const cpus = availableParallelism();
    // The ghost node is DOWN (its slurmd would listen on a port nothing listens on): never used,
    // but listed by sinfo like any node of its partition.
    const ghost = o.ghostNode
      ? [
          `NodeName=stepwise-ghost NodeAddr=127.0.0.1 Port=${await freePort()} CPUs=1 RealMemory=100 State=DOWN Reason=ghost`,
          `PartitionName=wide Nodes=${this.host},stepwise-ghost State=UP`,
        ]
      : [];
    writeFileSync(
      this.conf,
      [
        'ClusterName=stepwise-test',
        `SlurmctldHost=${this.host}`,
        `SlurmctldPort=${ctldPort}`,
        `SlurmdPort=${slurmdPort}`,
        'AuthType=auth/munge',
        'CredType=cred/munge',
        `AuthInfo=socket=${socket}`,
        'SlurmUser=root',
        'SlurmdUser=root',
        `StateSaveLocation=${join(d, 'state')}`,
        `SlurmdSpoolDir=${join(d, 'spool')}`,
        `SlurmctldPidFile=${join(d, 'slurmctld.pid')}`,
        `SlurmdPidFile=${join(d, 'slurmd.pid')}`,
        `SlurmctldLogFile=${join(d, 'slurmctld.log')}`,
        `SlurmdLogFile=${join(d, 'slurmd.log')}`,
        'ProctrackType=proctrack/linuxproc',
        'TaskPlugin=task/none',
        'SelectType=select/cons_tres',
        'SelectTypeParameters=CR_Core_Memory',
        'SchedulerType=sched/backfill',
        // Schedule a submitted job at slurmctld's next 1 s tick, not after the 3 s batch delay
        // Slurm defaults to for throughput: each task here is a short job, submitted one at a time.
        'SchedulerParameters=batch_sched_delay=0,sched_min_interval=0',
        'MpiDefault=none',
        'ReturnToService=2',
        'AccountingStorageType=accounting_storage/none',
        'JobCompType=jobcomp/none',
        'JobAcctGatherType=jobacct_gather/none',
        'SlurmctldTimeout=30',
        'SlurmdTimeout=30',
        'InactiveLimit=0',
        'MinJobAge=300',
        'KillWait=5',
        // A job that asks no memory gets its share per CPU, not the whole node (one job at a time).
        `DefMemPerCPU=${Math.floor(MEMORY_MB / cpus)}`,
        // A job in `urgent` (higher tier) cancels the `debug` jobs it needs the node of: preemption.
        'PreemptType=preempt/partition_prio',
        'PreemptMode=CANCEL',
        `NodeName=${this.host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${MEMORY_MB} State=UNKNOWN`,
        `PartitionName=debug Nodes=${this.host} Default=YES MaxTime=INFINITE PriorityTier=1 State=UP`,
        // Slurm's shortest time limit (1 minute), as a cluster's short queue would set it.
        `PartitionName=short Nodes=${this.host} DefaultTime=1 MaxTime=1 PriorityTier=1 State=UP`,
        `PartitionName=urgent Nodes=${this.host} PriorityTier=10 State=UP`,
        ...ghost,
        '',
      ].join('\n'),
    );
    this.daemon('/usr/sbin/slurmctld', ['-D', '-f', this.conf]);
    this.daemon('/usr/sbin/slurmd', ['-D', '-f', this.conf, '-N', this.host]);
    await this.waitFor('the node to be idle', () => this.sinfo().includes('idle'));
  }

  private sinfo(): string {
    try {
      return execFileSync('sinfo', ['-h', '-p', 'debug', '-o', '%T'], {
        env: { ...process.env, ...this.env },
        encoding: 'utf8',
        timeout: 10_000,
      });
    } catch {
      return '';
    }
  }

  private daemon(cmd: string, args: string[]): void {
    const child = spawn(cmd, args, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
    child.once('exit', (code) => {
      if (code && !this.stopping) process.stderr.write(`slurm test cluster: ${cmd} exited with ${code}: ${err}\n`);
    });
    this.daemons.push(child);
  }

  private stopping = false;

  private async waitFor(what: string, ready: () => boolean, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      const dead = this.daemons.find((c) => c.exitCode !== null);
      if (dead)
        throw new Error(`slurm test cluster: ${dead.spawnfile} exited (code ${dead.exitCode}) while waiting for ${what}; see ${this.dir}`);
      if (Date.now() > deadline) throw new Error(`slurm test cluster: timed out waiting for ${what}; see ${this.dir}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The id of this user's running job with this name, if there is one. */
  runningJob(name: string): string | undefined {
    return this.command('squeue', ['-h', '--me', '-t', 'RUNNING', '-n', name, '-o', '%i'])
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean);
  }

  scancel(jobId: string): void {
    this.command('scancel', [jobId]);
  }

  /** This user's jobs with this name, oldest first, with their states (ended ones included). */
  jobsNamed(name: string): Array<{ id: string; state: string }> {
    return this.command('squeue', ['-h', '--me', '--states=all', '-n', name, '-o', '%i|%T'])
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [id, state] = l.trim().split('|');
        return { id, state };
      })
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Submits a plain batch job (e.g. a higher-priority job that preempts others); its id. */
  sbatch(args: string[]): string {
    return this.command('sbatch', ['--parsable', ...args])
      .trim()
      .split(';')[0];
  }

  /** The node's state as sinfo prints it (idle, mixed, allocated, down…; a '*' when not responding). */
  nodeState(): string {
    return this.command('sinfo', ['-h', '-N', '-n', this.host, '-p', 'debug', '-o', '%T']).trim();
  }

  /** Takes the node down as an administrator (or a failed health check) would: its running jobs end NODE_FAIL. */
  downNode(reason: string): void {
    this.command('scontrol', ['update', `NodeName=${this.host}`, 'State=DOWN', `Reason=${reason}`]);
  }

  /** Brings the node back, unless it already is (ReturnToService=2 returns it as soon as its slurmd registers). */
  resumeNode(): void {
    // The node can come back on its own between reading its state and asking for RESUME, and
    // slurmctld then refuses the update ("Invalid node state specified"): read it again, a few times.
    for (let tries = 0; ; tries++) {
      const state = this.nodeState();
      if (!/down|drain|fail/i.test(state)) return;
      try {
        this.command('scontrol', ['update', `NodeName=${this.host}`, 'State=RESUME']);
        return;
      } catch (e) {
        if (tries >= 20 || !/Invalid node state/i.test(String(e))) throw new Error(`${String(e)} (the node was ${state})`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
      }
    }
  }

  /** Freezes slurmctld (SIGSTOP), as a controller too busy to answer looks to the commands. */
  pauseController(): void {
    this.controller().kill('SIGSTOP');
  }

  continueController(): void {
    this.controller().kill('SIGCONT');
  }

  private controller(): ChildProcess {
    const ctld = this.daemons.find((c) => c.spawnfile === '/usr/sbin/slurmctld');
    if (!ctld) throw new Error('slurm test cluster: slurmctld is not running');
    return ctld;
  }

  private command(cmd: string, args: string[]): string {
    return execFileSync(cmd, args, { env: { ...process.env, ...this.env }, encoding: 'utf8', timeout: 30_000 });
  }

  /** `scontrol show job ID` as name=value pairs. */
  showJob(jobId: string): Record<string, string> {
    const text = this.command('scontrol', ['show', 'job', jobId]);
    const out: Record<string, string> = {};
    for (const m of text.matchAll(/([\w:/]+)=(\S*)/g)) out[m[1]] ??= m[2];
    return out;
  }

  /** munged runs under runuser: stop it by the pid it wrote, whatever runuser did with the signal. */
  private async stopMunged(): Promise<void> {
    const pidFile = join(this.dir, 'munge', 'munged.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (!pid || !alive()) return;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive()) process.kill(pid, 'SIGKILL');
  }

  /** Stops every daemon by its pid (slurmd, slurmctld, then munged) and removes the folder. */
  async stop(): Promise<void> {
    this.stopping = true;
    const [mungeRunner, ...slurm] = this.daemons;
    // A paused controller would not act on SIGTERM until continued.
    for (const child of slurm) if (child.exitCode === null && child.signalCode === null) child.kill('SIGCONT');
    for (const child of slurm.reverse()) await end(child);
    await this.stopMunged();
    if (mungeRunner) await end(mungeRunner);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function end(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}
