// The one error type: anything below http/ throws it, the global handler renders it as {error, message}.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, extra?: Record<string, unknown>) => new ApiError(400, code, message, extra);
export const notFound = (message = 'not found', code = 'NOT_FOUND') => new ApiError(404, code, message);
export const forbidden = (message: string, code = 'FORBIDDEN') => new ApiError(403, code, message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
export const unauthorized = (code: 'AUTH_REQUIRED' | 'INVALID_TOKEN', message: string) => new ApiError(401, code, message);

