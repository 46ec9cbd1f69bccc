import { ApiError } from './api-error';
import { resolvePage } from './pagination';

const SORTABLE = { name: 'name', _updatedAt: 'updatedAt' };
const FALLBACK = { createdAt: 'DESC' as const };

describe('resolvePage: offset, count and sort as Rocket.Chat reads them', () => {
  it.each([
    [{}, { offset: 0, count: 50, order: FALLBACK }],
    [{ count: 0 }, { offset: 0, count: 50, order: FALLBACK }],
    [{ count: 500 }, { offset: 0, count: 100, order: FALLBACK }],
    [{ offset: '20', count: '5' }, { offset: 20, count: 5, order: FALLBACK }],
    [{ offset: '' }, { offset: 0, count: 50, order: FALLBACK }],
    [{ sort: '{"name":1,"_updatedAt":-1}' }, { offset: 0, count: 50, order: { name: 'ASC', updatedAt: 'DESC' } }],
    [{ sort: '{}' }, { offset: 0, count: 50, order: FALLBACK }],
  ])('%p → %p', (query, page) => expect(resolvePage(query, SORTABLE, FALLBACK)).toEqual(page));

  it.each([
    [{ offset: -1 }, 'invalid-params'],
    [{ count: '1.5' }, 'invalid-params'],
    [{ offset: 'ten' }, 'invalid-params'],
    [{ sort: 'name' }, 'error-invalid-sort'],
    [{ sort: '[1]' }, 'error-invalid-sort'],
    [{ sort: '{"password":1}' }, 'error-invalid-sort'],
    [{ sort: '{"name":2}' }, 'error-invalid-sort'],
  ] as const)('%p is refused with %s', (query, code) => {
    let thrown: unknown;
    try {
      resolvePage(query, SORTABLE, FALLBACK);
    } catch (error) {
      thrown = error;
    }
    expect(ApiError.is(thrown, code)).toBe(true);
  });
});
