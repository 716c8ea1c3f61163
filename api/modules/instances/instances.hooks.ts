import type { Knex } from 'knex';
import type { RequestActor } from '../../src/plugins/auth.ts';

export interface StartHookContext {
  trx: Knex.Transaction;
  actor: RequestActor;
  businessKey: string | null;
  variables: Record<string, unknown>;
}

export interface StartHookResult {
  businessKey: string | null;
  variables: Record<string, unknown>;
  /** runs in the same transaction once the instance exists */
  afterStart?: (trx: Knex.Transaction, instanceId: string) => Promise<void>;
}

/**
 * Domain checks and records a flow needs before it starts (e.g. a dossier row and the
 * one-application-per-activity rule), keyed by process key.
 */
export type StartHook = (ctx: StartHookContext) => Promise<StartHookResult>;

/**
 * Domain records to update when an administrator cancels a case of a flow (e.g. the dossier
 * marked cancelled), in the cancel's transaction; keyed by process key.
 */
export type CancelHook = (ctx: { trx: Knex.Transaction; instanceId: string; reason: string; now: Date }) => Promise<void>;
