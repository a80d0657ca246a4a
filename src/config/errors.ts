/** A config file that cannot be used; the message names the file, the place and the problem. */
export class ConfigError extends Error {}
