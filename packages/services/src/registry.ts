/**
 * All four services together, and a small mutable holder for the runner.
 */
import type { Random } from '@gyre/history';
import type { Body } from '@gyre/protocol';
import { linKv, type LinKvState } from './lin-kv';
import { linTso, type LinTsoState } from './lin-tso';
import { lwwKv, type LwwKvOptions, type LwwKvState } from './lww-kv';
import { seqKv, type SeqKvOptions, type SeqKvState } from './seq-kv';
import type { Service, ServiceId, ServiceRequest } from './service';

/** Options for {@link createServices} and {@link createService}, per service. */
export interface ServicesOptions {
  /** @defaultValue `{}`: a 32-state window */
  seqKv?: SeqKvOptions;
  /** @defaultValue `{}`: 2 replicas whose merges take effect */
  lwwKv?: LwwKvOptions;
}

/** The state type of each service, by id. */
export interface ServiceStates {
  'lin-kv': LinKvState;
  'seq-kv': SeqKvState;
  'lww-kv': LwwKvState;
  'lin-tso': LinTsoState;
}

/** Creates one service by id; throws a `RangeError` for an id that is not a service's. */
export function createService<I extends ServiceId>(id: I, options?: ServicesOptions): Service<ServiceStates[I]>;
export function createService(id: ServiceId, options: ServicesOptions = {}): Service<any> {
  switch (id) {
    case 'lin-kv':
      return linKv();
    case 'seq-kv':
      return seqKv(options.seqKv);
    case 'lww-kv':
      return lwwKv(options.lwwKv);
    case 'lin-tso':
      return linTso();
    default:
      throw new RangeError(`unknown service ${JSON.stringify(id)}`);
  }
}

/** All four services, in the order of `SERVICE_IDS`: lin-kv, seq-kv, lww-kv, lin-tso. */
export function createServices(options: ServicesOptions = {}): Service<any>[] {
  return [createService('lin-kv', options), createService('seq-kv', options), createService('lww-kv', options), createService('lin-tso', options)];
}

/**
 * A service with its current state and its random source: what the runner registers on the
 * network. `handle` answers a request and keeps the next state.
 */
export class ServiceHost<S = unknown> {
  /** The current state; replace it to rewind. */
  state: S;
  constructor(
    readonly service: Service<S>,
    readonly random: Random,
  ) {
    this.state = service.init();
  }
  /** The service's network id. */
  get id(): ServiceId {
    return this.service.id;
  }
  /** Answers one request and advances the state; returns the reply body. */
  handle(req: ServiceRequest): Body {
    const [next, reply] = this.service.handle(this.state, req, this.random);
    this.state = next;
    return reply;
  }
}
