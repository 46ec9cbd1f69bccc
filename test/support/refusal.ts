import { ApiError } from '../../src/core/http/api-error';

/** The code an attempt is refused with ('accepted' when it is not): for specs of rules whose order decides which of several errors answers. */
export async function refusalCode(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (error) {
    if (ApiError.is(error)) return error.code;
    throw error;
  }
  return 'accepted';
}
