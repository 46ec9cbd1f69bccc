/** Letters, digits, `.`, `_` and `-` (chat-core spec, users.create). */
export const USERNAME_PATTERN = /^[\p{L}\p{N}._-]+$/u;

export const isValidUsername = (username: string) => USERNAME_PATTERN.test(username);
