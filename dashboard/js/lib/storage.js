// localStorage / sessionStorage that never throws: private windows, full
// quotas and disabled storage all degrade to "nothing remembered".

function read(store, key, fallback) {
  try {
    const raw = store.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

function write(store, key, value) {
  try {
    store.setItem(key, JSON.stringify(value));
  } catch {
    // Not being able to remember is not an error worth showing.
  }
}

export const local = {
  get: (key, fallback = null) => read(window.localStorage, key, fallback),
  set: (key, value) => write(window.localStorage, key, value),
};

export const session = {
  get: (key, fallback = null) => read(window.sessionStorage, key, fallback),
  set: (key, value) => write(window.sessionStorage, key, value),
};
