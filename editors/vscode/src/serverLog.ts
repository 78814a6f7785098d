/**
 * What the server writes to stderr, sorted by level for the output channel. The server logs
 * through window/logMessage (shown at its level by the language client); stderr carries what
 * comes before the protocol is up (a missing `server` extra, a crash) and, from older servers,
 * log records formatted `<date> <time> LEVEL logger: message`. No `vscode` import: unit-tested.
 */

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface LogLine {
  level: Level;
  text: string;
}

/** A record of Python's logging as the server formats it (`%(asctime)s %(levelname)s ...`). */
const RECORD =
  /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)? (DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL) (.*)$/;

const LEVELS: Record<string, Level> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  WARN: 'warn',
  ERROR: 'error',
  CRITICAL: 'error',
};

/** How many of the last error lines are kept for the start-failure message. */
const KEEP = 20;

/**
 * Sorts stderr lines: a log record at its own level, its continuation lines (a multi-line
 * message) at the same level, anything else (a traceback, a plain message) as an error.
 */
export class StderrLog {
  private current: Level = 'error';
  /** The last lines that were not log records below `error`: what a failed start said. */
  readonly errors: string[] = [];

  line(raw: string): LogLine {
    const text = raw.replace(/\r$/, '');
    const record = RECORD.exec(text);
    if (record) {
      this.current = LEVELS[record[1] ?? ''] ?? 'error';
      const line = { level: this.current, text: record[2] ?? '' };
      this.keep(line);
      return line;
    }
    if (text.startsWith('Traceback (most recent call last)')) {
      this.current = 'error';
    }
    const line = { level: this.current, text };
    this.keep(line);
    return line;
  }

  private keep(line: LogLine): void {
    if (line.level === 'error' && line.text.trim() !== '') {
      this.errors.push(line.text);
      if (this.errors.length > KEEP) {
        this.errors.shift();
      }
    }
  }

  /**
   * The one line to show the user when the server stopped at start-up: the last error line
   * that is not part of a traceback's frames (for a crash, the exception line), trimmed.
   */
  summary(maxLength = 300): string | undefined {
    const lines = this.errors.filter(
      (line) => !/^\s/.test(line) && !line.startsWith('Traceback (most recent call last)'),
    );
    const last = lines.at(-1)?.trim();
    if (last === undefined || last === '') {
      return undefined;
    }
    return last.length > maxLength ? `${last.slice(0, maxLength - 1)}…` : last;
  }
}
