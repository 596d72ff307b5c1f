import { Controller, Get, Param } from '@nestjs/common';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { ok } from '../common/envelope';
import { inputInvalid } from '../common/errors';
import { ApiOperation } from '../openapi/operation.decorator';
import { arrayOf, enumOf, nstr, obj, str } from '../openapi/schemas';
import { toolListing } from './coverage';

const CATEGORIES = ['hris', 'ats', 'assessment', 'lms'];
const STATUS = enumOf(['SUPPORTED', 'UNSUPPORTED', 'NOT_IMPLEMENTED', 'UNKNOWN']);
export const coverageItemSchema = obj({ id: str(), label: str(), coverage_status: STATUS, fields: arrayOf(obj({ id: str(), coverage_status: STATUS })) });

@Controller('v1/tools')
export class ToolsController {
  constructor(private readonly connectors: ConnectorRegistry) {}

  @Get(':category')
  @ApiOperation({
    operationId: 'getToolsCategory',
    summary: 'Get tools',
    description: 'The tools this gateway can connect in a category, with their coverage. Only `hris` has tools.',
    tags: ['General'],
    params: { category: { description: 'The category of the tools.', schema: enumOf(CATEGORIES) } },
    response: obj({
      tools: arrayOf(
        obj({
          id: str(),
          label: str(),
          internal_label: nstr(),
          assets: obj({ logo_url: str(), icon_url: str(), icon_black_url: str() }),
          paid_api_details_markdown: nstr(),
          fast_track_details_markdown: nstr(),
          partner_only_details_markdown: nstr(),
          connection_guide_url: nstr(),
          coverage: obj({
            read_models: arrayOf(coverageItemSchema),
            write_actions: arrayOf(coverageItemSchema),
            features: arrayOf(obj({ id: str(), label: str(), coverage_status: STATUS })),
          }),
        }),
      ),
    }),
  })
  list(@Param('category') category: string) {
    if (!CATEGORIES.includes(category)) throw inputInvalid(`Invalid input: category must be one of ${CATEGORIES.join(', ')}.`);
    return ok({ tools: category === 'hris' ? this.connectors.all().map((c) => toolListing(c)) : [] });
  }
}
