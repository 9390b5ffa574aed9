// Models: the built-in trusted keyring of the emulated kernel (Linux 6.1 certs/system_keyring.c builtin_trusted_keys,
// filled at boot from certs/system_certificates.S by load_system_certificate_list, "Loaded X.509 cert '%s'").
// Simplifies: it holds ONE certificate, the Ring Zero project TEST key (samples/keys/signing_key.x509, embedded below),
// not Debian's signing certificates: Debian's real keyring does not hold this test key, so on a real Debian kernel
// signed.ko is reported -ENOKEY ("module with unavailable key") and loads as unsigned. No secondary or machine keyring.

import { parseCertificate, type Certificate } from './x509';

/** The project TEST certificate, DER, as hex: byte for byte samples/keys/signing_key.x509 (a test checks this). TEST ONLY. */
export const RING_ZERO_TEST_CERTIFICATE_HEX =
  '308203723082025aa00302010202143b084e1ec8dcd44705dbb89cbb78e0e42a9d494b300d06092a864886f70d01010b05003053311e301c' +
  '060355040a0c1552696e67205a65726f202854455354204f4e4c59293131302f06035504030c2852696e67205a65726f2073616d706c6520' +
  '7369676e696e67206b6579202874657374206f6e6c79293020170d3236313132353132303931385a180f3231323631313031313230393138' +
  '5a3053311e301c060355040a0c1552696e67205a65726f202854455354204f4e4c59293131302f06035504030c2852696e67205a65726f20' +
  '73616d706c65207369676e696e67206b6579202874657374206f6e6c792930820122300d06092a864886f70d01010105000382010f003082' +
  '010a0282010100cdbe04b4c30f0135a9e2bdfede8eb2d4938b462579577adb6cedcf58499ed8653483fcfa17e7ead1d1d85e1fb9d928185c' +
  '593521e1513456b2fc33171b071467a2a4086d9b01617b62166b2babf98fb7ebada960a43d8386396be4ca197de18a63070ec148c89d6468' +
  '63d01622049e4b57f0269d39453e24e13ff8d9df94d6c91a97e5095cdf1ad89b8466a585367a20d79ba6fbb475d466141e90233b085f5014' +
  '052a9610f51e4d3e3ad66ab9feceeb1b63b38ee1918210d36d430db7c3ed7769dc9074eabbc9e979803703ba2d151cccb6eb52943a5e8938' +
  'e3e95383b0fb88bc916b6512bdc5f47a1a37c14b443c3f37e914c026a63c0919242c15045a87030203010001a33c303a300c0603551d1301' +
  '01ff04023000300b0603551d0f040403020780301d0603551d0e041604141e47626173f3a1732411d991e58b7748f6063d8f300d06092a86' +
  '4886f70d01010b050003820101001e07e1967df1a28fde82380715987041ab4098394d35a01701bd6da473ccc5ce20fef1c3a8e7a6ebb36e' +
  'd870a1ea7edaf440a86710ad57414a48ab52c54264cfd1af4386e8bcb2c5c13fd75ea73cfa7fecf5b46ec28012528fc6b849928eeab1e7d0' +
  '38d7527b21a58349d1c67e5fd8b107571b51bdc700acfaf2f2c32d71cc00a69a538502eed8462dcb07a82d6bb99ab619af4a449546609f4a' +
  '5f14cd5f29ee7b4f0c4c44777ae7d48d08edf31ec0114bac0201e0d7b8e9f247d1531a987f1e86a4ab217fc44eefe148fef1603d87c0ad36' +
  'edbe33e879e462da7974ce7fe29d7fbdf6d005c52a6de3c125f1c7d365c22e690832c37e694b9834428ab7c96cae';

/** What the book shows next to the keyring, so nobody mistakes it for Debian's. */
export const EMULATED_KEYRING_LABEL =
  "the emulated built-in keyring (holds only the Ring Zero TEST certificate; Debian's real keyring does not hold this key, so a real Debian kernel reports these modules -ENOKEY)";

/** The emulated built-in trusted keyring: a fresh array holding the parsed test certificate. */
export function emulatedBuiltinKeyring(): Certificate[] {
  const cert = parseCertificate(hexToBytes(RING_ZERO_TEST_CERTIFICATE_HEX));
  return cert.kind === 'x509-certificate' ? [cert] : [];
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
