/**
 * Defines `target[name]` as a getter that computes the value on first read and keeps it: an
 * entry point can then offer a class without loading its modules until someone uses it.
 * @internal
 */
export function lazyExport<T>(target: object, name: string, load: () => T): void {
  let loaded = false;
  let value: T | undefined;
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!loaded) {
        value = load();
        loaded = true;
      }
      return value;
    },
  });
}
