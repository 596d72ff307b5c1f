import { Allow, IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

export class PassthroughRequestDto {
  @IsIn(['GET', 'POST', 'DELETE', 'PUT', 'PATCH'])
  @JSONSchema({ description: 'HTTP method of the request to the remote API.' })
  method!: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';

  @IsString()
  @MaxLength(2000)
  @JSONSchema({
    description:
      "Path below the base of the passthrough API (the tool's APIs and bases: `GET /v1/tools/hris` and docs/kombo-compatibility.md). Normalised like a URL (dot segments resolved) before it is checked; encoded slashes are refused.",
  })
  path!: string;

  @IsOptional()
  @IsObject()
  @JSONSchema({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'Extra request headers. Not forwarded: Authorization, Proxy-Authorization, Cookie, Host and Content-Length (the gateway authenticates and frames the request), and the hop-by-hop headers Connection (with every header it names), Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding and Upgrade.',
  })
  headers?: Record<string, string>;

  @IsOptional()
  @IsObject()
  @JSONSchema({ type: 'object', description: 'Query parameters.' })
  params?: Record<string, string | number | boolean | Array<string | number>>;

  @Allow()
  @JSONSchema({ description: 'Request body: objects and arrays are sent as JSON. Not allowed with GET.' })
  data?: unknown;

  @IsOptional()
  @IsBoolean()
  @JSONSchema({ description: 'Not supported: must be false or absent.' })
  response_as_base64?: boolean;

  @IsOptional()
  @IsObject()
  @JSONSchema({ type: 'object', description: 'Not used.' })
  api_options?: Record<string, string>;
}
