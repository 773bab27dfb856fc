/**
 * A node hosted in the simulator's process: one {@link Node} per incarnation, on the shared
 * virtual clock, with its own seeded randomness, its messages going through the simulated network.
 */
import { mkdirSync } from 'node:fs';
import type { Clock, Random, TimerHandle } from '@gyre/history';
import { createNode, type Node, type NodeOptions } from '@gyre/node';
import type { FaultHost } from '@gyre/runner';
import { NEVER_INPUT } from './program';

/**
 * What a node module exports for `gyre sim` (its default export, or its only exported function):
 * installs the node's handlers on `node`, synchronously. `args` are the arguments after `--` on
 * the command line (the same ones its process gets under `gyre test`). Keep the node's state
 * inside the function, not at module level: the module is loaded once and installed on a fresh
 * `Node` for every node and every restart.
 */
export type InstallNode = (node: Node, args: readonly string[]) => unknown;

/**
 * A node module written as a program (`createNode()` at its top level, then `await node.run()`),
 * as `gyre test` runs it: {@link start} runs the module's code afresh for one incarnation, with
 * `createNode()` making its node from `options` (the simulator's input, output, clock, log,
 * randomness and directory), and returns that node. Made by `loadInstall` (see program.ts).
 */
export interface NodeProgram {
  /** The module's path. */
  readonly file: string;
  /** Starts one incarnation. Throws what the module's code threw before its first `await`. */
  start(options: NodeOptions, args: readonly string[]): Node;
}

/** How a node module runs under the simulator: installed on a node the simulator makes, or as a program. */
export type NodeModule = InstallNode | NodeProgram;

interface Pending {
  inner: TimerHandle | undefined;
  fn: () => void;
}

/**
 * A {@link Clock} for one incarnation of a node, on top of the shared clock: its timers stop for
 * good when the node is killed, and wait while it is paused (a paused process runs nothing; its
 * overdue timers fire when it resumes, in order).
 */
export class InstanceClock implements Clock {
  private readonly live = new Set<Pending>();
  private deferred: Pending[] = [];
  private state: 'running' | 'paused' | 'dead' = 'running';

  constructor(private readonly base: Clock) {}

  now(): number {
    return this.base.now();
  }

  /** {@link now} in milliseconds (a node's clock has it: see `NodeClock`). */
  nowMs(): number {
    return this.base.now() / 1e6;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const p: Pending = { inner: undefined, fn };
    if (this.state === 'dead') return p;
    p.inner = this.base.setTimeout(() => this.fire(p), ms);
    this.live.add(p);
    return p;
  }

  clearTimeout(handle: TimerHandle): void {
    const p = handle as Pending;
    if (this.live.delete(p)) {
      if (p.inner !== undefined) this.base.clearTimeout(p.inner);
      return;
    }
    const i = this.deferred.indexOf(p);
    if (i >= 0) this.deferred.splice(i, 1);
  }

  private fire(p: Pending): void {
    if (!this.live.delete(p)) return;
    if (this.state === 'paused') this.deferred.push(p);
    else if (this.state === 'running') p.fn();
  }

  /** Holds every timer that falls due until {@link resume}. */
  pause(): void {
    if (this.state === 'running') this.state = 'paused';
  }

  /** Runs the timers held while paused (as timers due now, in the order they fell due). */
  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    const held = this.deferred;
    this.deferred = [];
    for (const p of held) {
      p.inner = this.base.setTimeout(() => this.fire(p), 0);
      this.live.add(p);
    }
  }

  /** Cancels every timer, now and later. */
  kill(): void {
    this.state = 'dead';
    for (const p of this.live) if (p.inner !== undefined) this.base.clearTimeout(p.inner);
    this.live.clear();
    this.deferred = [];
  }
}

/** What a {@link SimNode} needs. */
export interface SimNodeOptions {
  id: string;
  install: NodeModule;
  args: readonly string[];
  /** The shared virtual clock. */
  clock: Clock;
  /** The node's random source; incarnation `k` gets `random.fork(String(k))`. */
  random: Random;
  /** The node's directory, kept across restarts. */
  dir: string | undefined;
  /** Receives each line the node writes (a message for the network). */
  output(line: string): void;
  /** Receives each line the node logs. */
  log(line: string): void;
  /** Tells the run that installing the node failed (the run crashes). */
  onError(message: string): void;
}

/**
 * One node id of the simulated cluster. {@link start} makes a fresh incarnation: a new `Node`
 * (empty memory), the module installed on it again; {@link kill} drops the current one for good
 * (its timers cancelled, its later output discarded); the directory stays.
 */
export class SimNode implements FaultHost {
  private node: Node | undefined;
  private clock: InstanceClock | undefined;
  private incarnation = 0;
  private isPaused = false;
  /** Lines written while paused: a stopped process writes nothing until it resumes. */
  private held: string[] = [];

  constructor(private readonly o: SimNodeOptions) {}

  get running(): boolean {
    return this.node !== undefined;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** How many incarnations have been started. */
  get incarnations(): number {
    return this.incarnation;
  }

  /** Hands one line (a delivered message) to the current incarnation; dropped when there is none. */
  deliver(line: string): void {
    this.node?.receive(line);
  }

  async start(): Promise<void> {
    this.startNow();
  }

  /** {@link start}, synchronously. */
  startNow(): void {
    if (this.node) return;
    const k = this.incarnation++;
    const clock = new InstanceClock(this.o.clock);
    const out = this.o.output;
    const options: NodeOptions = {
      input: NEVER_INPUT,
      output: (line) => {
        if (this.clock !== clock) return;
        if (this.isPaused) this.held.push(line);
        else out(line);
      },
      clock,
      log: this.o.log,
      random: this.o.random.fork(String(k)),
      ...(this.o.dir !== undefined ? { dir: this.o.dir } : {}),
    };
    if (this.o.dir !== undefined) mkdirSync(this.o.dir, { recursive: true });
    this.clock = clock;
    this.isPaused = false;
    const install = this.o.install;
    if (typeof install !== 'function') {
      try {
        this.node = install.start(options, this.o.args);
      } catch (e) {
        this.o.onError(`Starting node ${this.o.id} failed: ${(e as Error)?.stack ?? e}`);
      }
      return;
    }
    const node = createNode(options);
    this.node = node;
    try {
      const r = install(node, this.o.args);
      if (r && typeof (r as Promise<unknown>).then === 'function') {
        (r as Promise<unknown>).then(undefined, (e: unknown) => this.o.log(`installing the node failed: ${(e as Error)?.stack ?? e}`));
      }
    } catch (e) {
      this.o.onError(`Installing node ${this.o.id} failed: ${(e as Error)?.stack ?? e}`);
    }
  }

  async kill(): Promise<void> {
    this.killNow();
  }

  /** {@link kill}, synchronously. */
  killNow(): void {
    const clock = this.clock;
    if (!clock) return;
    clock.kill();
    this.held = [];
    this.node = undefined;
    this.clock = undefined;
    this.isPaused = false;
  }

  pause(): void {
    if (!this.clock || this.isPaused) return;
    this.isPaused = true;
    this.clock.pause();
  }

  resume(): void {
    if (!this.clock || !this.isPaused) return;
    this.isPaused = false;
    const held = this.held;
    this.held = [];
    for (const line of held) this.o.output(line);
    this.clock.resume();
  }
}
