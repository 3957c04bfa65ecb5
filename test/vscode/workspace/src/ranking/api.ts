// The ranking endpoint. plan:ranking-api
export function rank(query: string): string[] {
  return [query];
}
