/** A reason not to start that the operator fixes in the environment: main prints it, without a stack trace. */
export class StartupError extends Error {
  /** 2: restarting will not help until the configuration changes; 1: it may (a database that comes back). */
  constructor(
    public readonly variable: string,
    message: string,
    public readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}

export class ConfigError extends StartupError {
  constructor(variable: string, problem: string) {
    super(variable, `Invalid configuration: ${variable} ${problem}`);
  }
}
