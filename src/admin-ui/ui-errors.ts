/** No session: the page redirects to the login form. */
export class LoginRequired extends Error {
  constructor() {
    super('Log in to see this page.');
  }
}

/** A form without this session's CSRF token: refused, nothing changes. */
export class CsrfRefused extends Error {
  constructor() {
    super('This form has expired or was sent from another site. Reload the page and try again.');
  }
}
