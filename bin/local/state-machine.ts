/**
 * Executes the DunningRun definition in-process with aws-local-stepfunctions, over the same handler
 * functions the Lambdas export. Lambda tasks are mapped from their Resource ARN to a local handler
 * (aws-local-stepfunctions keys overrides by state name, so duplicate state names are refused).
 *
 * It enforces what Step Functions enforces and the tests rely on: the task timeouts of the definition
 * (aws-local-stepfunctions), error names as the handler's error carries them (as Lambda reports
 * `errorType`), and the 256 KB limit on every state's input and output: a state over it fails the
 * execution with States.DataLimitExceeded, as in AWS.
 */
import type { StateMachine } from 'aws-local-stepfunctions';

/** A JSON value as aws-local-stepfunctions takes it (the library does not export the type itself). */
type JSONValue = Parameters<StateMachine['run']>[0];

// Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions 3 uses.
if (typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers !== 'function') {
  (Promise as unknown as { withResolvers: () => unknown }).withResolvers = function withResolvers<T>() {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

type Asl = { StartAt: string; States: Record<string, AslState>; TimeoutSeconds?: number };
type AslState = {
  Type: string;
  Resource?: string;
  Retry?: unknown[];
  ItemProcessor?: Asl;
  Iterator?: Asl;
  Branches?: Asl[];
  [k: string]: unknown;
};

export type LocalHandler = (input: unknown) => Promise<unknown>;

/** Step Functions' limit on the input or output of a state (UTF-8 bytes of its JSON). */
export const STATE_DATA_LIMIT_BYTES = 256 * 1024;

const sizeOf = (v: unknown): number => (v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v), 'utf8'));

export interface StateVisit {
  name: string;
  type: string;
  event: 'entered' | 'exited' | 'failed' | 'retried' | 'caught';
  error?: string;
}

/** Walks every nested state; throws on a duplicate state name. */
export function allStates(asl: Asl): [string, AslState][] {
  const seen = new Map<string, AslState>();
  const walk = (a: Asl) => {
    for (const [name, st] of Object.entries(a.States)) {
      if (seen.has(name)) throw new Error(`duplicate state name "${name}": local overrides are keyed by state name`);
      seen.set(name, st);
      if (st.ItemProcessor) walk(st.ItemProcessor);
      if (st.Iterator) walk(st.Iterator);
      for (const b of st.Branches ?? []) walk(b);
    }
  };
  walk(asl);
  return [...seen.entries()];
}

/**
 * Builds the overrides: each Task state whose Resource is one of `arns` runs the matching handler.
 * A Task with an unknown Resource is refused (it would otherwise call AWS).
 */
export function localOverrides(asl: Asl, arns: Record<string, string>, handlers: Record<string, LocalHandler>) {
  const byArn = new Map(Object.entries(arns).map(([k, arn]) => [arn, k]));
  const taskResourceLocalHandlers: Record<string, (input: JSONValue) => Promise<JSONValue>> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const [name, st] of allStates(asl)) {
    if (st.Type === 'Task') {
      const key = st.Resource ? byArn.get(st.Resource) : undefined;
      if (!key || !handlers[key]) throw new Error(`state "${name}" has resource ${st.Resource} with no local handler`);
      const fn = handlers[key];
      taskResourceLocalHandlers[name] = async (input) => (await fn(input)) as JSONValue;
    }
    if (st.Retry) retryIntervalOverrides[name] = 0;
  }
  return { taskResourceLocalHandlers, retryIntervalOverrides };
}

// Validating a definition (ajv) is costly: build each StateMachine once per definition object.
const machines = new WeakMap<object, Promise<import('aws-local-stepfunctions').StateMachine>>();
function machineFor(asl: Asl): Promise<import('aws-local-stepfunctions').StateMachine> {
  let m = machines.get(asl);
  if (!m) {
    m = import('aws-local-stepfunctions').then(({ StateMachine }) => new StateMachine(asl as never, { validationOptions: { checkArn: true, checkPaths: true } }));
    machines.set(asl, m);
  }
  return m;
}

export interface LocalExecution {
  executionName: string;
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: { Error: string; Cause: unknown };
  visits: StateVisit[];
}

export async function executeLocally(opts: {
  asl: Asl;
  arns: Record<string, string>;
  handlers: Record<string, LocalHandler>;
  input: unknown;
  executionName: string;
  onEvent?: (v: StateVisit) => void;
}): Promise<LocalExecution> {
  const sm = await machineFor(opts.asl);
  const overrides = localOverrides(opts.asl, opts.arns, opts.handlers);
  const startTime = new Date().toISOString();
  const execution = sm.run(opts.input as JSONValue, {
    overrides,
    context: {
      Execution: {
        Id: `arn:aws:states:local:000000000000:execution:DunningRun:${opts.executionName}`,
        Name: opts.executionName,
        Input: opts.input as JSONValue,
        StartTime: startTime,
      },
    },
  });
  const visits: StateVisit[] = [];
  let exceeded: { state: string; what: 'input' | 'output'; bytes: number } | undefined;
  const done = (async () => {
    for await (const ev of execution.eventLogs) {
      const e = ev as { type: string; state?: { name: string; type: string; input?: unknown; output?: unknown }; Error?: string };
      if (!exceeded && e.state && (e.type === 'StateEntered' || e.type === 'StateExited')) {
        const what = e.type === 'StateEntered' ? 'input' : 'output';
        const bytes = sizeOf(e.state[what]);
        if (bytes > STATE_DATA_LIMIT_BYTES) {
          exceeded = { state: e.state.name, what, bytes };
          execution.abort();
        }
      }
      const map: Record<string, StateVisit['event']> = {
        StateEntered: 'entered',
        StateExited: 'exited',
        StateFailed: 'failed',
        StateRetried: 'retried',
        StateCaught: 'caught',
      };
      if (e.state && map[e.type]) {
        const v: StateVisit = { name: e.state.name, type: e.state.type, event: map[e.type]!, error: e.Error };
        visits.push(v);
        opts.onEvent?.(v);
      }
    }
  })();
  const overLimit = (): LocalExecution => ({
    executionName: opts.executionName,
    status: 'FAILED',
    error: {
      Error: 'States.DataLimitExceeded',
      Cause: `The state "${exceeded!.state}" has an ${exceeded!.what} of ${exceeded!.bytes} bytes, over the limit of ${STATE_DATA_LIMIT_BYTES}.`,
    },
    visits,
  });
  try {
    const output = await execution.result;
    await done.catch(() => undefined);
    if (exceeded) return overLimit();
    return { executionName: opts.executionName, status: 'SUCCEEDED', output, visits };
  } catch (err) {
    await done.catch(() => undefined);
    if (exceeded) return overLimit();
    // aws-local-stepfunctions wraps the state's error in an ExecutionError; Step Functions reports the
    // state's own error (States.Timeout, TransientError …) as the execution's Error, and so does this.
    const outer = err as { name?: string; message?: string; cause?: unknown };
    const e = (outer.name === 'ExecutionError' && outer.cause && typeof outer.cause === 'object' ? outer.cause : outer) as { name?: string; message?: string; cause?: unknown };
    return { executionName: opts.executionName, status: 'FAILED', error: { Error: e.name ?? 'Error', Cause: e.cause ?? e.message }, visits };
  }
}
