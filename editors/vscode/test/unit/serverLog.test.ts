import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StderrLog } from '../../src/serverLog';

describe('StderrLog', () => {
  it('shows a log record at its own level, not as an error', () => {
    const log = new StderrLog();
    assert.deepEqual(
      log.line('2026-12-07 23:59:06,123 INFO factory_lint.server: factory-lint 0.1.0: encoding utf-16'),
      { level: 'info', text: 'factory_lint.server: factory-lint 0.1.0: encoding utf-16' },
    );
    assert.equal(log.line('2026-12-07 23:59:06,200 WARNING factory_lint.server: x').level, 'warn');
    assert.equal(log.line('2026-12-07 23:59:06,300 DEBUG factory_lint.server: y').level, 'debug');
    assert.equal(log.line('2026-12-07 23:59:06,400 ERROR pygls: z').level, 'error');
    assert.equal(log.line('2026-12-07 23:59:06,400 CRITICAL pygls: z').level, 'error');
    assert.equal(log.summary(), 'pygls: z');
  });

  it('keeps a multi-line record at its level', () => {
    const log = new StderrLog();
    log.line('2026-12-07 23:59:06,123 INFO factory_lint.server: two');
    assert.deepEqual(log.line('  lines'), { level: 'info', text: '  lines' });
    assert.equal(log.summary(), undefined, 'nothing went wrong');
  });

  it('takes anything else as an error, and sums a crash up by its last line', () => {
    const log = new StderrLog();
    log.line('2026-12-07 23:59:06,123 INFO factory_lint.server: started');
    assert.equal(log.line('Traceback (most recent call last):').level, 'error');
    assert.equal(log.line('  File "x.py", line 1, in <module>').level, 'error');
    assert.equal(log.line('RuntimeError: boom\r').text, 'RuntimeError: boom');
    assert.equal(log.summary(), 'RuntimeError: boom');
  });

  it('reports the one line a server without the `server` extra prints', () => {
    const log = new StderrLog();
    const said =
      "factory-lint server needs pygls and lsprotocol (pygls is missing): pip install 'factory-lint[server]'";
    assert.deepEqual(log.line(said), { level: 'error', text: said });
    assert.equal(log.summary(), said);
  });

  it('shortens a very long line and keeps only the last lines', () => {
    const log = new StderrLog();
    for (let i = 0; i < 50; i++) {
      log.line(`error ${i}`);
    }
    assert.equal(log.errors.length, 20);
    assert.equal(log.summary(), 'error 49');
    log.line('x'.repeat(1000));
    assert.equal(log.summary(20), `${'x'.repeat(19)}…`);
  });
});
