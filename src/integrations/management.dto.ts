import { IsBoolean } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

export class SetIntegrationEnabledDto {
  @IsBoolean()
  @JSONSchema({
    description: '`false` disables the integration (running sync cancelled, no more scheduled syncs, credentials and data kept); `true` enables it again.',
  })
  value!: boolean;
}
