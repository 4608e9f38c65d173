/**
 * The local stand-in for EventBridge Scheduler: runs a croner pattern (for the dunning run,
 * `cronerPattern(dunningCron(cfg))`, derived from the same definition as the stack's EventBridge cron) in the
 * company time zone and hands each tick its *scheduled* time (like Scheduler's
 * <aws.scheduler.scheduled-time>), not the moment the timer happened to fire.
 */
import { Cron, type CronOptions } from 'croner';
import { ConfigError } from '../../functions/domain/errors.js';

export interface LocalSchedulerOptions {
  /** croner pattern, e.g. cronerPattern(dunningCron(cfg)) → "0 9 * * 2,5". */
  pattern: string;
  /** IANA time zone, e.g. Europe/Moscow. */
  timeZone: string;
  /** Called once per occurrence. A tick still running when the next one is due makes that one skip. */
  onTick(scheduledTime: Date): void | Promise<void>;
  /** Errors thrown by onTick (default: written to stderr; the scheduler keeps going). */
  onError?(err: unknown, scheduledTime: Date): void;
  /** Let the process exit while only the scheduler is left (default false). */
  unref?: boolean;
}

export interface LocalScheduler {
  /** The croner pattern being run. */
  readonly pattern: string;
  /** The next scheduled instant, or null when the schedule is exhausted or stopped. */
  next(): Date | null;
  /** Stops for good; idempotent. */
  stop(): void;
}

/** A croner job for the pattern in the zone; ConfigError naming both when croner cannot run them. */
function cronJob(pattern: string, timeZone: string, options: Omit<CronOptions, 'timezone'>): Cron {
  try {
    const job = new Cron(pattern, { ...options, timezone: timeZone });
    job.nextRun(); // evaluates the zone now rather than at the first tick
    return job;
  } catch (err) {
    throw new ConfigError(`cannot run the schedule "${pattern}" in time zone "${timeZone}": ${(err as Error).message}`, { cause: err });
  }
}

/** Throws ConfigError for a pattern or time zone that cannot run. */
export function startLocalScheduler(opts: LocalSchedulerOptions): LocalScheduler {
  const onError =
    opts.onError ??
    ((err: unknown, at: Date) => {
      process.stderr.write(`local scheduler: the run scheduled for ${at.toISOString()} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    });
  // A paused evaluator: used only to read the schedule (never runs a callback).
  const evaluator = cronJob(opts.pattern, opts.timeZone, { paused: true });

  const job = cronJob(opts.pattern, opts.timeZone, { protect: true, unref: opts.unref ?? false });
  job.schedule(async () => {
    // croner fires at (or just after) the occurrence; the occurrence is the latest one not after now.
    const firedAt = Date.now();
    const scheduled = evaluator.previousRuns(1, new Date(firedAt + 1))[0] ?? new Date(firedAt);
    try {
      await opts.onTick(scheduled);
    } catch (err) {
      onError(err, scheduled);
    }
  });

  return {
    pattern: job.getPattern() ?? opts.pattern,
    next: () => job.nextRun(),
    stop: () => job.stop(),
  };
}
