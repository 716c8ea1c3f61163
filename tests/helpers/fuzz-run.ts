import fc from 'fast-check';
import type { TestApp } from './app.ts';
import { check, operationsOf, requestArb, runOrder, shapedValue, type FuzzRequest, type Operation, type Violation } from './openapi-fuzz.ts';

/** Who calls: nobody, and the demo accounts of every unit type (省/市/县人社局, 评委会, 主管部门, 用人单位, 申报人). */
export const FUZZ_CALLERS = ['admin', 'sc_hr', 'cd_hr', 'cd_pw', 'jj_hr', 'cd_jxj', 'kj_hr', 'zhangwei'] as const;

export interface FuzzStats {
  routes: number;
  requests: number;
  byStatus: Record<string, number>;
  byCaller: { anonymous: number; wrongRole: number; rightRole: number };
  violations: Violation[];
}

export interface FuzzOptions {
  perRoute: number;
  seed: number;
  /** path-parameter values that exist in the data, by parameter name */
  existing?: Record<string, string[]>;
  /** only the operations this keeps */
  filter?: (op: Operation) => boolean;
  progress?: (done: number, total: number, stats: FuzzStats) => void;
}

/** The operations of the app's OpenAPI document, reads first and destructive ones last. */
export async function fuzzOperations(t: TestApp): Promise<Operation[]> {
  const doc = (await t.request('GET', '/api/docs/json')).json();
  const ops = operationsOf(doc);
  return ops.map((op, i) => ({ op, i })).sort((a, b) => runOrder(a.op) - runOrder(b.op) || a.i - b.i).map(({ op }) => op);
}

async function send(t: TestApp, req: FuzzRequest, token: string | null) {
  return t.app.inject({
    method: req.method as 'GET',
    url: req.url,
    headers: { ...req.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(req.payload !== undefined ? { payload: req.payload } : {}),
  });
}

/**
 * Sends `perRoute` seeded requests to every operation: each by the anonymous caller (1 in 10),
 * by a caller the route refuses (2 in 10) or by one it lets through (7 in 10), as a plain probe
 * per caller found. Checks every answer against the invariants of `check`.
 */
export async function runFuzz(t: TestApp, options: FuzzOptions): Promise<FuzzStats> {
  const ops = (await fuzzOperations(t)).filter(options.filter ?? (() => true));
  const stats: FuzzStats = { routes: ops.length, requests: 0, byStatus: {}, byCaller: { anonymous: 0, wrongRole: 0, rightRole: 0 }, violations: [] };
  const tokens = new Map<string, string>();
  for (const user of FUZZ_CALLERS) tokens.set(user, await t.token(user));
  const existing = options.existing ?? {};
  const record = (route: string, req: FuzzRequest, res: Awaited<ReturnType<typeof send>>) => {
    stats.requests++;
    stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1;
    const v = check(route, req, res);
    if (v) stats.violations.push(v);
  };
  for (const [index, op] of ops.entries()) {
    const route = `${op.method} ${op.path}`;
    // a plain probe per caller tells the callers the route lets through from those it refuses
    const plain: FuzzRequest = {
      method: op.method,
      url: op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(existing[name]?.[0] ?? '1')),
      headers: op.body ? { 'content-type': 'application/json' } : {},
      ...(op.body ? { payload: '{}' } : {}),
      kind: 'probe',
    };
    const right: string[] = [];
    const wrong: string[] = [];
    for (const user of FUZZ_CALLERS) {
      const res = await send(t, plain, tokens.get(user)!);
      record(route, plain, res);
      (res.statusCode === 401 || res.statusCode === 403 ? wrong : right).push(user);
    }
    const samples = fc.sample(
      fc.tuple(requestArb(op, existing), fc.integer({ min: 0, max: 9 }), fc.nat()),
      { seed: options.seed + index, numRuns: options.perRoute },
    );
    for (const [req, who, pick] of samples) {
      let caller: string | null;
      if (who === 0 || (!right.length && !wrong.length)) {
        caller = null;
        stats.byCaller.anonymous++;
      } else if ((who <= 2 && wrong.length) || !right.length) {
        caller = wrong[pick % wrong.length]!;
        stats.byCaller.wrongRole++;
      } else {
        caller = right[pick % right.length]!;
        stats.byCaller.rightRole++;
      }
      const res = await send(t, req, caller ? tokens.get(caller)! : null);
      record(route, { ...req, kind: `${req.kind} as ${caller ?? 'anonymous'}` }, res);
    }
    // integers just past PostgreSQL's integer (int4) at every top-level integer field of a shaped body, by one caller it lets through
    const integers = Object.entries(op.body?.properties ?? {}).filter(([, p]) => p.type === 'integer').map(([name]) => name);
    if (op.body && integers.length && right.length) {
      const [base] = fc.sample(shapedValue(op.body), { seed: options.seed + index, numRuns: 1 });
      for (const edge of [2_147_483_648, -2_147_483_649]) {
        const body = { ...(base as Record<string, unknown>), ...Object.fromEntries(integers.map((name) => [name, edge])) };
        const req: FuzzRequest = { ...plain, payload: JSON.stringify(body), kind: `body:int4-edge ${edge} as ${right[0]}` };
        record(route, req, await send(t, req, tokens.get(right[0]!)!));
      }
    }
    options.progress?.(index + 1, ops.length, stats);
  }
  return stats;
}
