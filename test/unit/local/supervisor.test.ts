/** The supervisor in-process, with a fake signal source: stop order, failures, late registrations, exit codes. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createSupervisor, EXIT_CODE_SIGTERM } from '../../../bin/local/supervisor.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('supervisor in-process (fake signal source)', () => {
  it('stops in reverse order once, however often it is asked, then exits with 143 on SIGTERM', async () => {
    // Prepare
    const signals = new EventEmitter();
    const order: string[] = [];
    const exits: number[] = [];
    const sup = createSupervisor({ signals, exit: (c) => exits.push(c), logger: quiet }).install();
    sup.add('dynamo', () => void order.push('dynamo'));
    sup.add('ses', async () => void order.push('ses'));
    sup.add('http', () => void order.push('http'));

    // Act
    signals.emit('SIGTERM');
    await sup.stopAll();
    await sup.stopAll();

    // Assess
    expect(order).toEqual(['http', 'ses', 'dynamo']);
    expect(exits).toEqual([EXIT_CODE_SIGTERM]);
    expect(sup.stopping).toBe(true);
    sup.uninstall();
  });

  it('keeps stopping the rest when one stop function fails or hangs', async () => {
    // Prepare
    const order: string[] = [];
    const sup = createSupervisor({ exit: () => {}, logger: quiet, stopTimeoutMs: 50 });
    sup.add('a', () => void order.push('a'));
    sup.add('hangs', () => new Promise<void>(() => {}));
    sup.add('throws', () => {
      throw new Error('cannot');
    });

    // Act
    await sup.stopAll('test');

    // Assess
    expect(order).toEqual(['a']);
  });

  it('stops at once what is registered after stopping began, and skips what was unregistered', async () => {
    // Prepare
    const order: string[] = [];
    const sup = createSupervisor({ exit: () => {}, logger: quiet });
    const unregister = sup.add('removed', () => void order.push('removed'));
    sup.add('kept', () => void order.push('kept'));
    unregister();

    // Act
    await sup.stopAll();
    sup.add('late', () => void order.push('late'));
    await new Promise((r) => setImmediate(r));

    // Assess
    expect(order).toEqual(['kept', 'late']);
  });

  it('exits with 1 on an uncaught error after stopping everything', async () => {
    // Prepare
    const signals = new EventEmitter();
    const exits: number[] = [];
    const order: string[] = [];
    const sup = createSupervisor({ signals, exit: (c) => exits.push(c), logger: quiet }).install();
    sup.add('x', () => void order.push('x'));

    // Act
    signals.emit('uncaughtException', new Error('boom'));
    await sup.stopAll();
    await new Promise((r) => setImmediate(r));

    // Assess
    expect(order).toEqual(['x']);
    expect(exits).toEqual([1]);
    sup.uninstall();
  });
});
