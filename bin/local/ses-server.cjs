/*
 * The local SES server (aws-ses-v2-local's CLI) with a send journal: every email the server accepts is
 * appended to the journal file (--journal PATH, one JSON line {messageId, letterId, at}) before the
 * server answers. The journal outlives the server's in-memory store, so after a crash of the whole
 * local stack it still says which letters "SES" accepted (the local stand-in for SES send events);
 * `letterId` is the X-Claimflow-Letter header of the message.
 *
 * CommonJS on purpose: it patches the server's modules (store.saveEmail, mailparser.simpleParser) before
 * the CLI loads them; an AsyncLocalStorage per HTTP request carries the header from the parse to the save.
 */
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { AsyncLocalStorage } = require('node:async_hooks');

const args = process.argv.slice(2);
const at = args.indexOf('--journal');
const journal = at >= 0 ? args[at + 1] : undefined;
if (at >= 0) process.argv.splice(2 + at, 2);

const sesDir = path.dirname(require.resolve('aws-ses-v2-local/package.json'));
const requests = new AsyncLocalStorage();
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...rest) {
  return event === 'request' ? requests.run({}, () => emit.call(this, event, ...rest)) : emit.call(this, event, ...rest);
};

const mailparser = require(require.resolve('mailparser', { paths: [sesDir] }));
const simpleParser = mailparser.simpleParser;
mailparser.simpleParser = async function (...a) {
  const message = await simpleParser.apply(this, a);
  const request = requests.getStore();
  const letterId = message?.headers?.get('x-claimflow-letter');
  if (request && typeof letterId === 'string') request.letterId = letterId.trim();
  return message;
};

if (journal) {
  fs.mkdirSync(path.dirname(journal), { recursive: true });
  const fd = fs.openSync(journal, 'a');
  const store = require(path.join(sesDir, 'dist', 'store.js'));
  const saveEmail = store.saveEmail;
  store.saveEmail = function (email) {
    const request = requests.getStore();
    // Written (to the kernel) before the server answers: once a client has a MessageId, the journal has it.
    fs.writeSync(fd, `${JSON.stringify({ messageId: email.messageId, letterId: request?.letterId || null, at: email.at })}\n`);
    return saveEmail.call(this, email);
  };
}

require(path.join(sesDir, 'dist', 'cli.js'));
