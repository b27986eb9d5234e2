"""Writes a mixed User-Agent corpus for `benches/instructions.sh`: 20,000 lines, about 5 MB.

Real browser, bot and SDK values, partner values (Microsoft's example and variants), and
adversarial ones: deep nesting, long lines, invalid bytes, legacy and misspelt prefixes.
Deterministic: the same file every run.

Usage: python3 benches/corpus/make.py OUT
"""

import random
import sys

REAL = [
    b"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    b"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    b"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    b"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    b"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
    b"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    b"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    b"curl/8.5.0",
    b"python-requests/2.31.0",
    b"Go-http-client/1.1",
    b"okhttp/4.12.0",
    b"azsdk-rust-security_alerts/1.2.3 (1.95.0; linux; x86_64)",
    b"azsdk-python-identity/1.15.0 Python/3.11.7 (Linux-6.1.0-x86_64-with-glibc2.36)",
    b"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)",
    b"Mozilla/5.0(Windows NT 10.0)",
    b"Dalvik/2.1.0 (Linux; U; Android 13; SM-S911B Build/TP1A.220624.014)",
]

PARTNER = [
    b"MdePartner-Contoso-ContosoCognito/1.0.0",
    b"MdePartner-Contoso-ContosoCognito/1.0.0 (Linux; x86_64) hyper/1.12.0",
    b"MdePartner-VMRay-VMRayAnalyzer/4.4.1",
    b"MdePartner-JoeSecurity-JoeSecuritySandbox-AzureFunctionApp/4.4.1",
    b"MdePartner-Contoso-ContosoCognito/1.0.0 tonic/0.14.9",
    b"MdePartner-Contoso-ContosoCognito/1.0.0 azsdk-rust-security_alerts/1.2.3 (1.95.0; linux; x86_64)",
]

BROKEN = [
    b"MdePartner-Contoso Ltd-Cognito/1.0",
    b"mdepartner-Contoso-ContosoCognito/1.0.0",
    b"MdatpPartner-Contoso-ContosoCognito/1.0.0",
    b"MdePartner-Contoso/1.0",
    b"MdePartner-Contoso-ContosoCognito/1.0.0 (Linux",
    b"MdePartner-Contoso-ContosoCognito/1.0.0, curl/8.5.0",
    b"MdePartner-Contoso-ContosoCognito/1.0.0\r",
    b" curl/8.5.0",
    b"",
]


def adversarial(rng):
    kind = rng.randrange(5)
    if kind == 0:  # deep nesting
        depth = rng.choice([10, 100, 1000, 5000])
        return b"MdePartner-A-B/1 " + b"(" * depth + b"x" + b")" * depth
    if kind == 1:  # a long comment
        return b"MdePartner-A-B/1 (" + b"y" * rng.choice([1000, 10000, 50000]) + b")"
    if kind == 2:  # invalid bytes
        value = bytearray(rng.choice(REAL))
        value[rng.randrange(len(value))] = rng.choice([0, 0x7F, 0x0A - 0x0A + 1, 0xFF])
        return bytes(value)
    if kind == 3:  # many products
        return b" ".join(b"p%d/%d" % (i, i % 10) for i in range(rng.choice([50, 500])))
    return b"MdePartner-A-B/1 " + b" ".join(
        b"(nested (level (deeper \\) quoted)) done)" for _ in range(rng.choice([10, 100]))
    )


def main():
    rng = random.Random(20261126)
    lines = []
    for i in range(20_000):
        r = rng.random()
        if r < 0.50:
            lines.append(rng.choice(REAL))
        elif r < 0.80:
            lines.append(rng.choice(PARTNER))
        elif r < 0.96:
            lines.append(rng.choice(BROKEN))
        else:
            lines.append(adversarial(rng))
    data = b"\n".join(lines) + b"\n"
    with open(sys.argv[1], "wb") as out:
        out.write(data)
    print(f"{len(lines)} lines, {len(data)} bytes", file=sys.stderr)


main()
