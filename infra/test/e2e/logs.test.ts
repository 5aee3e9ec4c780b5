// What every process of the stack (services, nginx) logged during the whole e2e run, searched for the
// secrets the run handled: passwords, tokens, keys, signatures and card numbers must never be in a line.
import { expect } from 'chai';
import { PASSWORD, heldTokens, visitor } from './clients.js';
import { adminCredentials, collectedLogs, e2eStack, stackSecrets } from './stack.js';

// Other passwords the suite's files type in.
const OTHER_PASSWORDS = ['another horse battery', 'not-the-password'];
// A card number as a careless form would send it; the shop takes none, so it must never be echoed.
const CARD = '4509 9535 6623 3704';
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Card-like numbers: 15 or 16 digits, alone or in groups of four, that pass the Luhn check. */
function cardNumbersIn(line: string): string[] {
  // Bounded by anything but a word character or a decimal point, so that the digits inside a hex
  // request id or a decimal number do not count.
  const candidates = line.match(/(?<!\w|\d\.)(?:(?:\d{4}[ -]){3}\d{3,4}|\d{15,16})(?!\w|\.\d)/g) ?? [];
  return candidates.filter((candidate) => luhnValid(candidate.replace(/\D/g, '')));
}

const suite = describe('Logs of the whole e2e run', () => {
  it('When every line the stack logged is searched, then no password, token, secret, signature or card number is in one', async () => {
    const shopper = visitor();
    await shopper.auth
      .register({ email: `card-${Date.now()}@example.test`, password: PASSWORD, name: CARD })
      .catch(() => undefined);
    await shopper.cart.addItem({ variantId: CARD, quantity: 1 }).catch(() => undefined);
    const secrets = await stackSecrets();
    const privateKeyLines = secrets.jwtPrivateKey.split('\n').filter((line) => line.length >= 40);
    const signatures = e2eStack()
      .sandboxes.mercadopago.notifications()
      .map((notification) => /v1=([0-9a-f]+)/.exec(notification.signature)?.[1])
      .filter((v1): v1 is string => Boolean(v1));
    const known: Record<string, string[]> = {
      passwords: [PASSWORD, adminCredentials().password, ...OTHER_PASSWORDS],
      tokens: heldTokens(),
      'service secret': [secrets.serviceSecret],
      'JWT private key': privateKeyLines,
      'MercadoPago access token': [secrets.mercadopagoAccessToken],
      'MercadoPago webhook secret': [secrets.mercadopagoWebhookSecret],
      'webhook signatures': signatures,
      'Twilio auth token': [secrets.twilioAuthToken],
      'card number': [CARD, CARD.replaceAll(' ', '')],
    };
    const lines = collectedLogs();

    const hits: string[] = [];
    for (const line of lines) {
      for (const [what, values] of Object.entries(known)) {
        if (values.some((value) => line.includes(value))) hits.push(`${what}: ${line.slice(0, 300)}`);
      }
      if (JWT.test(line)) hits.push(`a JWT: ${line.slice(0, 300)}`);
      const cards = cardNumbersIn(line);
      if (cards.length > 0) hits.push(`card-like ${cards.join(', ')}: ${line.slice(0, 300)}`);
    }
    console.log(
      `      searched ${lines.length} log lines for ${Object.values(known).flat().length} known values, JWTs and card numbers`,
    );

    expect(lines.length).to.be.greaterThan(0);
    expect(known.tokens).to.have.length.above(0);
    expect(hits).to.deep.equal([]);
  });
});

// Mocha runs the files in name order; this search must come after every other file's traffic.
before(function () {
  const root = suite.parent!;
  root.suites.splice(root.suites.indexOf(suite), 1);
  root.suites.push(suite);
});
