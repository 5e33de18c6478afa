#include "support/test_pki.hpp"
#include "support/openssl_util.hpp"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace mesos {
namespace testing {

namespace {

constexpr long kHour = 60 * 60;
constexpr long kDay = 24 * kHour;

// Throws with `what` plus the whole OpenSSL error queue (which it empties).
[[noreturn]] void fail(const std::string& what) {
  std::string message = "TestPki: " + what;
  char buffer[256];
  while (unsigned long code = ERR_get_error()) {
    ERR_error_string_n(code, buffer, sizeof(buffer));
    message += "; ";
    message += buffer;
  }
  throw std::runtime_error(message);
}

void check(int ok, const std::string& what) {
  if (ok != 1) fail(what);
}

PkeyPtr generateRsaKey() {
  PkeyPtr key(EVP_RSA_gen(2048));
  if (!key) fail("RSA key generation");
  return key;
}

struct CertSpec {
  std::string cn;
  std::string san;  // Empty for CAs.
  long notBefore;   // Seconds relative to now.
  long notAfter;
  bool ca = false;
};

void addExtension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  ExtPtr ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value.c_str()));
  if (!ext) fail("extension " + std::string(OBJ_nid2sn(nid)) + "=" + value);
  check(X509_add_ext(cert, ext.get(), -1), "X509_add_ext");
}

// Builds a v3 certificate for `key`. With no `issuer` it is self-signed.
X509Ptr makeCert(const CertSpec& spec, EVP_PKEY* key, uint64_t serial, X509* issuer,
                 EVP_PKEY* issuerKey) {
  X509Ptr cert(X509_new());
  if (!cert) fail("X509_new");
  check(X509_set_version(cert.get(), X509_VERSION_3), "X509_set_version");
  check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial), "serial");
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.notBefore) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.notAfter) == nullptr) {
    fail("validity");
  }

  X509_NAME* name = X509_get_subject_name(cert.get());
  check(
      X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>("Mesos tests"), -1, -1, 0),
      "subject O");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1,
                                   0),
        "subject CN");
  X509* signer = issuer != nullptr ? issuer : cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)), "issuer name");
  check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  // The subject key id must exist before the authority key id: for the
  // self-signed CAs the latter is copied from it.
  addExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
  addExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
  if (spec.ca) {
    addExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE");
    addExtension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    addExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    addExtension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
    addExtension(cert.get(), &ctx, NID_subject_alt_name, spec.san);
  }

  if (X509_sign(cert.get(), issuerKey != nullptr ? issuerKey : key, EVP_sha256()) <= 0) {
    fail("X509_sign " + spec.cn);
  }
  return cert;
}

// Creates `path` (which must not exist) with `mode` and returns a BIO over it.
BioPtr createFile(const std::string& path, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "TestPki: create " + path);
  }
  BioPtr bio(BIO_new_fd(fd, BIO_CLOSE));
  if (!bio) {
    ::close(fd);
    fail("BIO_new_fd " + path);
  }
  return bio;
}

void writeCert(const std::string& path, X509* cert) {
  BioPtr bio = createFile(path, 0644);
  check(PEM_write_bio_X509(bio.get(), cert), "write " + path);
  check(BIO_flush(bio.get()), "flush " + path);
}

// Private keys are 0600 from creation, as a real deployment would have them.
void writeKey(const std::string& path, EVP_PKEY* key, const std::string* passphrase = nullptr) {
  BioPtr bio = createFile(path, 0600);
  int ok =
      passphrase == nullptr
          ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
          : PEM_write_bio_PrivateKey(bio.get(), key, EVP_aes_256_cbc(),
                                     reinterpret_cast<const unsigned char*>(passphrase->data()),
                                     static_cast<int>(passphrase->size()), nullptr, nullptr);
  check(ok, "write " + path);
  check(BIO_flush(bio.get()), "flush " + path);
}

std::string makeTempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/mesos-test-pki-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "TestPki: mkdtemp " + pattern);
  }
  return buffer.data();
}

}  // namespace

TestPki::TestPki() : dir_(makeTempDir()) {
  // The destructor does not run when a constructor throws, so clean up here.
  try {
    generate();
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    throw;
  }
}

TestPki::~TestPki() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void TestPki::generate() {
  // Serials: a random base so certificates of separate TestPki instances differ
  // too, then consecutive, hence distinct within this one. 62 bits stay positive.
  uint64_t serial = 0;
  check(RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof(serial)), "RAND_bytes");
  serial = (serial >> 2) | 1;

  PkeyPtr caKey = generateRsaKey();
  PkeyPtr otherCaKey = generateRsaKey();
  PkeyPtr leafKey = generateRsaKey();

  // CAs cover every leaf's validity, including the expired one's.
  X509Ptr ca = makeCert({"Mesos Test CA", "", -3 * kDay, 7 * kDay, true}, caKey.get(), serial++,
                        nullptr, nullptr);
  X509Ptr otherCa = makeCert({"Mesos Other Test CA", "", -3 * kDay, 7 * kDay, true},
                             otherCaKey.get(), serial++, nullptr, nullptr);
  caFile = dir_ + "/ca.pem";
  otherCaFile = dir_ + "/other-ca.pem";
  writeCert(caFile, ca.get());
  writeCert(otherCaFile, otherCa.get());

  const std::string loopback = "DNS:localhost,IP:127.0.0.1";
  auto leaf = [&](const std::string& name, const CertSpec& spec, X509* issuer, EVP_PKEY* issuerKey,
                  const std::string* passphrase = nullptr) {
    X509Ptr cert = makeCert(spec, leafKey.get(), serial++, issuer, issuerKey);
    CertAndKey files{dir_ + "/" + name + ".pem", dir_ + "/" + name + "-key.pem"};
    writeCert(files.certFile, cert.get());
    writeKey(files.keyFile, leafKey.get(), passphrase);
    return files;
  };
  server = leaf("server", {"localhost", loopback, -kHour, kDay}, ca.get(), caKey.get());
  client = leaf("client", {"framework", loopback, -kHour, kDay}, ca.get(), caKey.get());
  otherCaSigned = leaf("other-ca-signed", {"localhost", loopback, -kHour, kDay}, otherCa.get(),
                       otherCaKey.get());
  wrongHost =
      leaf("wrong-host", {"elsewhere.invalid", "DNS:elsewhere.invalid,IP:127.0.0.2", -kHour, kDay},
           ca.get(), caKey.get());
  expired = leaf("expired", {"localhost", loopback, -2 * kDay, -kDay}, ca.get(), caKey.get());
  encryptedKey = leaf("encrypted-key", {"localhost", loopback, -kHour, kDay}, ca.get(), caKey.get(),
                      &keyPassphrase);

  garbageFile = dir_ + "/garbage.pem";
  BioPtr garbage = createFile(garbageFile, 0644);
  const std::string text = "this is not PEM\n";
  if (BIO_write(garbage.get(), text.data(), static_cast<int>(text.size())) !=
      static_cast<int>(text.size())) {
    fail("write " + garbageFile);
  }
  check(BIO_flush(garbage.get()), "flush " + garbageFile);
}

}  // namespace testing
}  // namespace mesos
