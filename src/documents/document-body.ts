import type { NextFunction, Request, Response } from 'express';
import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import { jsonParser } from 'stream-json/core/parser.js';
import type { Token } from 'stream-json/core/parser.js';
import { GatewayError, inputInvalid } from '../common/errors';
import { MAX_INPUT_DEPTH } from '../common/validation';
import { Base64Decoder } from './base64-decoder';

/** A POST route whose JSON body carries a file as base64 at `body[object].data`. */
export interface FileBodyRoute {
  path: RegExp;
  /** The body field holding the file object (`document`, `certificate`). */
  object: string;
}

/** POST …/employees/{id}/documents. */
export const DOCUMENT_UPLOAD_ROUTE: FileBodyRoute = { path: /^\/v1\/hris\/employees\/[^/]+\/documents$/, object: 'document' };

/** The route among `routes` whose body this request carries, if any. */
export function fileBodyRouteOf(req: Request, routes: readonly FileBodyRoute[]): FileBodyRoute | undefined {
  return req.method === 'POST' ? routes.find((r) => r.path.test(req.path)) : undefined;
}

/** Largest body on the wire: 30 MB of file is 40 MB of base64, plus the other fields. */
export const DOCUMENT_BODY_LIMIT = 45 * 1024 * 1024;
/** Everything but the file's `data` (names, title, comment…) stays small, as on every other route. */
export const DOCUMENT_FIELDS_LIMIT = 1024 * 1024;
/** What the file's `data` reads in the body once its base64 was decoded while streaming; the bytes are on the request. */
export const STREAMED_DATA = '(base64 decoded while the request was read)';

const DOCUMENT_BYTES = Symbol('document bytes');
type WithBytes = Request & { [DOCUMENT_BYTES]?: Buffer };

/** The file decoded from the route's `data` field by fileBodyReader, if the request carried one. */
export function streamedDocumentBytes(req: Request): Buffer | undefined {
  return (req as WithBytes)[DOCUMENT_BYTES];
}

/**
 * Reads the JSON body of a route that carries a file as it arrives (the caller is
 * authenticated before this runs): a streaming tokenizer (stream-json) builds the
 * small fields, and `<object>.data` is base64-decoded chunk by chunk into bytes, so
 * neither a 45 MB string nor a 45 MB JSON.parse ever sits on the event loop. Bounded
 * by DOCUMENT_BODY_LIMIT on the wire (and after decompression), DOCUMENT_FIELDS_LIMIT
 * for the other fields and MAX_INPUT_DEPTH for nesting.
 */
export function fileBodyReader(routes: readonly FileBodyRoute[]) {
  return (req: Request, res: Response, next: NextFunction): void => readFileBody(req, res, next, routes);
}

function readFileBody(req: Request, res: Response, next: NextFunction, routes: readonly FileBodyRoute[]): void {
  const route = fileBodyRouteOf(req, routes);
  if (!route) return next();
  const length = Number(req.headers['content-length'] ?? 0);
  if (!(length > 0) && req.headers['transfer-encoding'] === undefined) return next();
  if (length > DOCUMENT_BODY_LIMIT) {
    res.setHeader('Connection', 'close'); // answer without reading the body
    return next(tooLarge());
  }
  const charset = /;\s*charset=([^;\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    return next(new GatewayError('PLATFORM.INPUT_INVALID', `Unsupported charset "${charset}": send UTF-8 JSON.`, { status: 415 }));
  }
  let source: Readable;
  try {
    source = decompressed(req);
  } catch (e) {
    return next(e);
  }
  readDocumentBody(source, route.object).then(
    ({ body, bytes }) => {
      req.body = body;
      if (bytes) (req as WithBytes)[DOCUMENT_BYTES] = bytes;
      next();
    },
    (e: unknown) => {
      if (source !== req) source.destroy();
      // Stop reading: the connection closes after the answer instead of draining the rest.
      req.unpipe();
      res.setHeader('Connection', 'close');
      next(e);
    },
  );
}

function decompressed(req: Request): Readable {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const inflate = { identity: null, gzip: zlib.createGunzip, deflate: zlib.createInflate, br: zlib.createBrotliDecompress }[encoding];
  if (inflate === undefined) throw new GatewayError('PLATFORM.INPUT_INVALID', `Unsupported Content-Encoding "${encoding}".`, { status: 415 });
  if (inflate === null) return req;
  const stream = inflate();
  req.pipe(stream);
  return stream;
}

const tooLarge = () => new GatewayError('PLATFORM.INPUT_INVALID', `The request body is too large (limit ${DOCUMENT_BODY_LIMIT} bytes).`, { status: 413 });
const notJson = (why: string) => inputInvalid(`The request body is not valid JSON (${why}).`);

type Container = { kind: 'object'; value: Record<string, unknown>; key: string | null } | { kind: 'array'; value: unknown[] };

function readDocumentBody(source: Readable, object: string): Promise<{ body: unknown; bytes: Buffer | undefined }> {
  const parse = jsonParser({ packKeys: true, streamKeys: false, packStrings: false, streamStrings: true, packNumbers: true, streamNumbers: false });
  const text = new StringDecoder('utf8');
  const stack: Container[] = [];
  let root: unknown = undefined;
  let done = false;
  let wire = 0;
  let fields = 0;
  let str: string | null = null;
  let base64: Base64Decoder | null = null;
  let bytes: Buffer | undefined;

  const place = (value: unknown) => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = value;
      done = true;
    } else if (top.kind === 'array') top.value.push(value);
    else {
      top.value[top.key!] = value;
      top.key = null;
    }
  };
  const count = (n: number) => {
    fields += n;
    if (fields > DOCUMENT_FIELDS_LIMIT) throw inputInvalid(`Invalid input: the fields besides ${object}.data exceed ${DOCUMENT_FIELDS_LIMIT} bytes.`);
  };
  // The file itself: the string at body[object].data.
  const atData = () => {
    const [body, file] = stack;
    return stack.length === 2 && body.kind === 'object' && body.key === object && file.kind === 'object' && file.key === 'data';
  };
  const onToken = (t: Token) => {
    switch (t.name) {
      case 'startObject':
      case 'startArray':
        if (stack.length >= MAX_INPUT_DEPTH) throw inputInvalid(`Invalid input: the body is nested more than ${MAX_INPUT_DEPTH} levels deep.`);
        stack.push(t.name === 'startObject' ? { kind: 'object', value: {}, key: null } : { kind: 'array', value: [] });
        return;
      case 'endObject':
      case 'endArray':
        place(stack.pop()!.value);
        return;
      case 'keyValue':
        count(t.value.length);
        (stack[stack.length - 1] as { key: string | null }).key = t.value;
        return;
      case 'startString':
        if (atData()) base64 = new Base64Decoder(`${object}.data`);
        else str = '';
        return;
      case 'stringChunk':
        if (base64) base64.write(t.value);
        else {
          count(t.value.length);
          str += t.value;
        }
        return;
      case 'endString':
        if (base64) {
          bytes = base64.end();
          base64 = null;
          place(STREAMED_DATA);
        } else {
          place(str);
          str = null;
        }
        return;
      case 'numberValue':
        count(t.value.length);
        place(Number(t.value));
        return;
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        place(t.value);
        return;
      default:
        return;
    }
  };
  const feed = (input: string | typeof none) => {
    let out: unknown;
    try {
      out = parse(input as string);
    } catch (e) {
      throw notJson((e as Error).message.replace(/^Parser /, ''));
    }
    if (isMany(out)) for (const t of getManyValues(out) as Token[]) onToken(t);
  };

  // Events rather than for-await, so a refusal leaves the request paused rather than
  // destroyed: the answer goes out, then the connection closes (Connection: close).
  return new Promise((resolve, reject) => {
    const stop = (e: unknown) => {
      source.off('data', onData).off('end', onEnd).off('error', stop);
      source.pause();
      reject(e);
    };
    const onData = (chunk: Buffer) => {
      try {
        wire += chunk.length;
        if (wire > DOCUMENT_BODY_LIMIT) throw tooLarge();
        feed(text.write(chunk));
      } catch (e) {
        stop(e);
      }
    };
    const onEnd = () => {
      try {
        feed(text.end());
        feed(none);
        if (!done) throw notJson('it ends early');
        resolve({ body: root, bytes });
      } catch (e) {
        stop(e);
      }
    };
    source.on('data', onData).once('end', onEnd).once('error', stop);
  });
}
