// localStorage / sessionStorage that never throws: private windows, full
// quotas and disabled storage (where even touching window.localStorage
// throws) all degrade to "nothing remembered".

function read(getStore, key, fallback) {
  try {
    const raw = getStore().getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

function write(getStore, key, value) {
  try {
    getStore().setItem(key, JSON.stringify(value));
  } catch {
    // Not being able to remember is not an error worth showing.
  }
}

const localStore = () => window.localStorage;
const sessionStore = () => window.sessionStorage;

export const local = {
  get: (key, fallback = null) => read(localStore, key, fallback),
  set: (key, value) => write(localStore, key, value),
};

export const session = {
  get: (key, fallback = null) => read(sessionStore, key, fallback),
  set: (key, value) => write(sessionStore, key, value),
};
