/** Kombo's success envelope. */
export interface SuccessEnvelope<T> {
  status: 'success';
  data: T;
  warnings?: { message: string }[];
}

export function ok<T>(data: T, warnings?: { message: string }[]): SuccessEnvelope<T> {
  return warnings && warnings.length ? { status: 'success', data, warnings } : { status: 'success', data };
}

export interface ErrorEnvelope {
  status: 'error';
  error: { code: string | null; title: string | null; message: string; log_url: string | null };
}
