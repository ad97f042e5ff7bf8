// `node tools/pretty-logs.js tmp/run/leads.log tmp/run/orders.log …`: follows the services' JSON log files
// (pino) and prints one readable line per entry, prefixed with the service (the file's name), for the
// combined console of `npm start`. The files keep the JSON. A line that is not JSON (a crash trace) is
// printed as it is, with the prefix. Polls rather than fs.watch: it behaves the same on every filesystem.
const { basename } = require('node:path');
const { openSync, readSync, fstatSync, closeSync, existsSync } = require('node:fs');

const COLORS = { leads: 36, opportunities: 35, orders: 33, inventory: 32, finance: 34, analytics: 96, customers: 91, notifications: 93 };
const LEVEL_COLOR = { warn: 33, error: 31, fatal: 31 };
const SKIP = new Set(['level', 'time', 'service', 'msg', 'correlationId', 'context']);
const tty = process.stdout.isTTY;
const paint = (code, text) => (tty && code ? `\x1b[${code}m${text}\x1b[0m` : text);

function format(prefix, line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return `${prefix} ${line}`;
  }
  if (typeof entry !== 'object' || entry === null) return `${prefix} ${line}`;
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = String(entry.level ?? 'info');
  const context = entry.context ? `[${entry.context}] ` : '';
  const extra = Object.entries(entry)
    .filter(([key]) => !SKIP.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const levelText = paint(LEVEL_COLOR[level], level.toUpperCase().padEnd(5));
  return `${prefix} ${time} ${levelText} ${context}${entry.msg ?? ''}${extra ? `  ${extra}` : ''}`;
}

function follower(file) {
  const service = basename(file, '.log'); // leads, or leads-2 for a second replica (npm start -- --replicas 2)
  const prefix = paint(COLORS[service.replace(/-\d+$/, '')], service.padEnd(15));
  let offset = 0;
  let partial = '';
  return function poll() {
    if (!existsSync(file)) return;
    const fd = openSync(file, 'r');
    try {
      const { size } = fstatSync(fd);
      if (size < offset) offset = 0; // truncated by a new start
      if (size === offset) return;
      const buffer = Buffer.alloc(size - offset);
      offset += readSync(fd, buffer, 0, buffer.length, offset);
      const lines = (partial + buffer.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line) process.stdout.write(`${format(prefix, line)}\n`);
    } finally {
      closeSync(fd);
    }
  };
}

const polls = process.argv.slice(2).map(follower);
setInterval(() => polls.forEach((poll) => poll()), 250);
