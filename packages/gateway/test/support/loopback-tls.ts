import tls from 'node:tls';

/**
 * Self-signed certificates for 127.0.0.1 (valid until 2126), made for these tests with
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 -addext "subjectAltName=IP:127.0.0.1"
 * -addext "basicConstraints=critical,CA:TRUE"`. Test keys only: they protect nothing.
 */
export const LOOPBACK_TLS = {
  trusted: {
    cert: `-----BEGIN CERTIFICATE-----
MIIBvTCCAWSgAwIBAgIUGSgZvW5iXNc83Q+OjFiuG13IC2YwCgYIKoZIzj0EAwIw
KzEpMCcGA1UEAwwgbmVzdG1lc2ggbG9vcGJhY2sgdGVzdCAodHJ1c3RlZCkwIBcN
MjYxMjAzMTgxNDUyWhgPMjEyNjExMDkxODE0NTJaMCsxKTAnBgNVBAMMIG5lc3Rt
ZXNoIGxvb3BiYWNrIHRlc3QgKHRydXN0ZWQpMFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAEzBzOAl7rncAQdLijH6Ua2VgRZAKCVnLOg4hS2m5nj+Kqos2vOsJblZv2
v+EH9DhYVNNkrqfzBZb3Yt4cYJrxgKNkMGIwHQYDVR0OBBYEFDLGfRW1Tto21CFS
r7VNFBjAscVRMB8GA1UdIwQYMBaAFDLGfRW1Tto21CFSr7VNFBjAscVRMA8GA1Ud
EQQIMAaHBH8AAAEwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiAP
FT6pzDTd2RBzkSNQAStn3z0LlefElpv7/Pr8xvcDQQIgZKZOOMbUlxnbBT+s10F5
Fyykfy/N7Sis8pDVvmjUkeE=
-----END CERTIFICATE-----`,
    key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjKP/KEnWVh+KFMei
H9xfAAzfKKPg5UevS1VSmLtQ/h2hRANCAATMHM4CXuudwBB0uKMfpRrZWBFkAoJW
cs6DiFLabmeP4qqiza86wluVm/a/4Qf0OFhU02Sup/MFlvdi3hxgmvGA
-----END PRIVATE KEY-----`,
  },
  /** Never trusted: an upstream presenting it must be refused. */
  untrusted: {
    cert: `-----BEGIN CERTIFICATE-----
MIIBwjCCAWigAwIBAgIUcJT+QR0rt+K8cwNjLN+bPzId1IEwCgYIKoZIzj0EAwIw
LTErMCkGA1UEAwwibmVzdG1lc2ggbG9vcGJhY2sgdGVzdCAodW50cnVzdGVkKTAg
Fw0yNjEyMDMxODE0NTJaGA8yMTI2MTEwOTE4MTQ1MlowLTErMCkGA1UEAwwibmVz
dG1lc2ggbG9vcGJhY2sgdGVzdCAodW50cnVzdGVkKTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABJDqyj5FPqXKz5v75vhbPHxiZiMk511ZOps9sDHXKD/ylHcnyUjX
ejtoH8mYklqZSIa4HvXPJDxZ43ypHypZn+WjZDBiMB0GA1UdDgQWBBT1a0fsjwsx
GchwNWVU+p84h8ngHDAfBgNVHSMEGDAWgBT1a0fsjwsxGchwNWVU+p84h8ngHDAP
BgNVHREECDAGhwR/AAABMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAw
RQIhAJdxncz0hNPHhGmq2es/5jF3H8ICvBIdt7sydZjbqQ51AiBBjhXi9OMX3vr7
tZYbrRIlFn/bxo7PACdRRuNRJ5DhBA==
-----END CERTIFICATE-----`,
    key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKCeWAaRd+lFwBBP2
9UJ74l6XNORY6+ryoQZSbGK7zbChRANCAASQ6so+RT6lys+b++b4Wzx8YmYjJOdd
WTqbPbAx1yg/8pR3J8lI13o7aB/JmJJamUiGuB71zyQ8WeN8qR8qWZ/l
-----END PRIVATE KEY-----`,
  },
} as const;

/** Makes this process trust `LOOPBACK_TLS.trusted` (as an operator would with NODE_EXTRA_CA_CERTS); returns the undo. */
export function trustLoopbackCertificate(): () => void {
  const before = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...before, LOOPBACK_TLS.trusted.cert]);
  return () => tls.setDefaultCACertificates(before);
}
