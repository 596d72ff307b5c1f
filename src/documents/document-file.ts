import { inputInvalid } from '../common/errors';
import { fetchDataUrl, type FetchPolicy } from './data-url-fetcher';
import {
  assertAllowedFileName,
  assertSize,
  assertUsableContentType,
  contentTypeForExtension,
  decodeBase64,
  isGenericContentType,
  UploadRules,
} from './file-rules';
import { assertContentMatches } from './file-signatures';

/**
 * A file in a JSON body, as Kombo's document endpoint takes it: a name, a type,
 * and the content as base64 `data` or a downloadable `data_url`. The one owner of
 * those rules, for every body that carries a file (a document, a training's
 * certificate); `object` is the body field holding it, as error messages name it.
 */
export interface FileInput {
  name: string;
  content_type?: string;
  data_url?: string;
  data?: string;
}

export interface PreparedFile {
  fileName: string;
  /** Null only for a data_url without a content_type (taken from the download). */
  contentType: string | null;
  source: 'data' | 'data_url';
  bytes: Buffer | null;
  dataUrl: string | null;
}

/**
 * Everything about the file that can be refused without the network.
 * `streamed`: the bytes of `data` when the body reader already decoded them (document-body.ts).
 */
export function prepareFile(file: FileInput, rules: UploadRules, object: string, streamed?: Buffer): PreparedFile {
  const hasData = file.data !== undefined;
  const hasUrl = file.data_url !== undefined;
  if (hasData === hasUrl) {
    throw inputInvalid(`Invalid input: ${object} needs exactly one of data (base64) and data_url; ${hasData ? 'both were' : 'neither was'} given.`);
  }
  const fileName = file.name.trim();
  assertAllowedFileName(fileName, rules, `${object}.name`);
  let contentType: string | null = null;
  if (file.content_type !== undefined) contentType = assertUsableContentType(file.content_type, `${object}.content_type`);
  else if (hasData) throw inputInvalid(`Invalid input: ${object}.content_type is required when ${object}.data is given (e.g. application/pdf).`);
  let bytes: Buffer | null = null;
  if (hasData) {
    if (streamed) assertSize(streamed.length, rules);
    bytes = streamed ?? decodeBase64(file.data!, rules, `${object}.data`);
    assertContentMatches(bytes, fileName, contentType!, `${object}.data`, `${object}.name`);
  }
  return { fileName, contentType, source: hasData ? 'data' : 'data_url', bytes, dataUrl: hasUrl ? file.data_url!.trim() : null };
}

export interface ObtainOptions {
  fetch: Omit<FetchPolicy, 'maxBytes'> & { maxBytes?: number };
  /** The request's end-to-end deadline (epoch ms): the download gets what is left of it, less a margin for the send. */
  deadline: number;
  /** Where a fallback that the caller should know about is noted. */
  warnings: { message: string }[];
}

/** The file's bytes and type: as given, or downloaded from its data_url and checked like given bytes. */
export async function obtainFile(file: PreparedFile, rules: UploadRules, object: string, opts: ObtainOptions): Promise<{ bytes: Buffer; contentType: string }> {
  if (file.bytes) return { bytes: file.bytes, contentType: file.contentType! };
  const field = `${object}.data_url`;
  const timeoutMs = Math.max(1000, Math.min(opts.fetch.timeoutMs, opts.deadline - Date.now() - 5000));
  const fetched = await fetchDataUrl(file.dataUrl!, { ...opts.fetch, timeoutMs, maxBytes: opts.fetch.maxBytes ?? rules.maxBytes }, undefined, field);
  assertSize(fetched.bytes.length, rules);
  let contentType = file.contentType;
  if (!contentType && fetched.contentType && !isGenericContentType(fetched.contentType)) {
    contentType = assertUsableContentType(fetched.contentType, `the Content-Type of ${field}`);
  }
  if (!contentType) {
    contentType = contentTypeForExtension(file.fileName);
    if (!contentType) throw inputInvalid(`Invalid input: ${object}.content_type is missing and ${field} served no meaningful Content-Type; send content_type.`);
    opts.warnings.push({ message: `${field} served no meaningful Content-Type; used ${contentType} from the file name.` });
  }
  assertContentMatches(fetched.bytes, file.fileName, contentType, `the file at ${field}`, `${object}.name`);
  return { bytes: fetched.bytes, contentType };
}
