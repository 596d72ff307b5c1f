import { DataSource } from 'typeorm';
import { GatewayConfig } from './config/config';

export interface CliContext {
  ds: DataSource;
  config: GatewayConfig;
  args: string[];
  options: Record<string, string | boolean | undefined>;
  out(value: unknown): void;
}

export interface CliCommand {
  usage: string;
  matches(group: string, action: string | undefined): boolean;
  run(ctx: CliContext): Promise<number>;
}

/** Commands contributed by feature modules (integrations, sync, …). */
export const CLI_COMMANDS: CliCommand[] = [];
