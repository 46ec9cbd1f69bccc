/** Ready-to-paste calls of an incoming hook: a JSON body, and the Slack-style form with a `payload` field. */
export function curlExamples(hookUrl: string): { json: string; form: string } {
  return {
    json: `curl -X POST -H 'Content-Type: application/json' \\\n  --data '{"text": "Hello from curl", "attachments": [{"title": "Hookline", "text": "It works"}]}' \\\n  '${hookUrl}'`,
    form: `curl -X POST \\\n  --data-urlencode 'payload={"text": "Hello from a Slack-style sender"}' \\\n  '${hookUrl}'`,
  };
}
