/**
 * How a receiver checks that a delivery came from this integration, with the Standard Webhooks
 * library of each language. The secret stays a placeholder (an environment variable): it is shown
 * once, when it is made, and never on this page. The Node one is run against a real delivery in
 * test/admin-ui.e2e-spec.ts.
 */
export interface Snippet {
  language: string;
  install: string;
  code: string;
}

export const SECRET_VARIABLE = 'HOOKLINE_SIGNING_SECRET';

export const VERIFICATION_SNIPPETS: readonly Snippet[] = [
  {
    language: 'Node.js',
    install: 'npm install standardwebhooks',
    code: `const { Webhook } = require("standardwebhooks");

// The integration's signing secret (whsec_…), shown once when it was made or rotated.
const webhook = new Webhook(process.env.${SECRET_VARIABLE});

// rawBody: the request body exactly as it arrived (a string, before any JSON parsing).
// headers: the request's headers, names in lower case (as Node gives them).
function verifiedDelivery(rawBody, headers) {
  // Answers the parsed body; throws when the signature does not match or the time is too far off.
  return webhook.verify(rawBody, {
    "webhook-id": headers["webhook-id"],
    "webhook-timestamp": headers["webhook-timestamp"],
    "webhook-signature": headers["webhook-signature"],
  });
}`,
  },
  {
    language: 'Python',
    install: 'pip install standardwebhooks',
    code: `import os
from standardwebhooks.webhooks import Webhook

# The integration's signing secret (whsec_…), shown once when it was made or rotated.
webhook = Webhook(os.environ["${SECRET_VARIABLE}"])

def verified_delivery(raw_body: str, headers: dict) -> dict:
    # Answers the parsed body; raises when the signature does not match or the time is too far off.
    return webhook.verify(raw_body, headers)`,
  },
  {
    language: 'Go',
    install: 'go get github.com/standard-webhooks/standard-webhooks/libraries',
    code: `import (
	"io"
	"net/http"
	"os"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// The integration's signing secret (whsec_…), shown once when it was made or rotated.
var webhook, _ = standardwebhooks.NewWebhook(os.Getenv("${SECRET_VARIABLE}"))

func handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := webhook.Verify(body, r.Header); err != nil {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	// body is a genuine delivery: parse it and act on it.
}`,
  },
  {
    language: 'PHP',
    install: 'composer require standard-webhooks/standard-webhooks',
    code: `<?php
// The integration's signing secret (whsec_…), shown once when it was made or rotated.
$webhook = new \\StandardWebhooks\\Webhook(getenv('${SECRET_VARIABLE}'));

$rawBody = file_get_contents('php://input');
$headers = [
    'webhook-id' => $_SERVER['HTTP_WEBHOOK_ID'] ?? '',
    'webhook-timestamp' => $_SERVER['HTTP_WEBHOOK_TIMESTAMP'] ?? '',
    'webhook-signature' => $_SERVER['HTTP_WEBHOOK_SIGNATURE'] ?? '',
];
// Answers the parsed body; throws when the signature does not match or the time is too far off.
$delivery = $webhook->verify($rawBody, $headers);`,
  },
];
