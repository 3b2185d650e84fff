// What a symbolic constant looks like (TCP_ESTABLISHED, NO_SOCKET, SYN): ALL_CAPS, as the
// kernel writes enum values. Builtins, headers and functions are lower case, so the shape
// alone tells the parser (flag groups, parser/build-ast.ts) and the checker
// (check/constants.ts) that a name is meant as a constant.
export function looksLikeConstant(name: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(name) && /[A-Z]{2}/.test(name);
}
