'use strict';
// Command line of the peer, the same flags hookbroker takes for the parts both
// have, so the benchmark driver starts both servers alike.

const DEFAULTS = {
  host: '127.0.0.1',
  port: 8765,
  heartbeatInterval: 60,   // seconds
  historySize: 1000,       // events kept for `history` / `get_history`
  historyOnConnect: 50,    // events sent to a client when it connects
  maxBodyBytes: 1024 * 1024,
  // Several peers behind one Redis: broadcasts go through the stock
  // @socket.io/redis-adapter (pub/sub), as a Node team would cluster them.
  redisUrl: '',
};

const FLAGS = {
  '--host': ['host', String],
  '--port': ['port', Number],
  '--heartbeat-interval': ['heartbeatInterval', Number],
  '--history-size': ['historySize', Number],
  '--history-on-connect': ['historyOnConnect', Number],
  '--max-body-bytes': ['maxBodyBytes', Number],
  '--redis-url': ['redisUrl', String],
};

function parseOptions(argv) {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inlineValue] = argv[i].split(/=(.*)/s, 2);
    const spec = FLAGS[flag];
    if (!spec) throw new Error(`unknown option '${argv[i]}': known are ${Object.keys(FLAGS).join(', ')}`);
    const text = inlineValue !== undefined ? inlineValue : argv[++i];
    if (text === undefined) throw new Error(`${flag} needs a value`);
    const [key, convert] = spec;
    const value = convert(text);
    if (convert === Number && !Number.isFinite(value)) throw new Error(`${flag} needs a number, got '${text}'`);
    options[key] = value;
  }
  return options;
}

module.exports = { parseOptions };
