import { ACCOUNT_VALUE_OTHER } from './semconv';

/** Most distinct account aliases kept as attribute values; more fold into `_other`. */
export const MAX_ACCOUNTS = 32;

// An alias names an account for dashboards ("sales-bot"); it must not be a phone number or a
// numeric user id, which would put personal data into every series.
const ALIAS = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

const aliases = new WeakMap<object, string>();
const known = new Set<string>();

/**
 * Names the account a client runs, for the `telegram.account` attribute. Returns the value
 * used: the alias, or `_other` once MAX_ACCOUNTS aliases exist. Throws on an alias that is not
 * a short name starting with a letter (a phone number or user id is refused).
 */
export function setAccount(client: object, alias: string): string {
  if (!ALIAS.test(alias)) throw new TypeError('telegram account alias must be a short name starting with a letter (never a phone number or user id)');
  let value = alias;
  if (!known.has(alias)) {
    if (known.size >= MAX_ACCOUNTS) value = ACCOUNT_VALUE_OTHER;
    else known.add(alias);
  }
  aliases.set(client, value);
  return value;
}

/** The alias of a client, undefined when the app gave none. */
export function accountOf(client: object | undefined): string | undefined {
  return client === undefined ? undefined : aliases.get(client);
}
