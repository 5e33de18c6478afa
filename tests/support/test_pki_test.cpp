#include "support/test_pki.hpp"
#include "support/openssl_util.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>

namespace mesos {
namespace testing {
namespace {

X509Ptr loadCert(const std::string& path) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return nullptr;
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// Never prompts: without a passphrase OpenSSL's default callback would read the terminal.
int noPassphrase(char*, int, int, void*) { return -1; }

PkeyPtr loadKey(const std::string& path, const char* passphrase = nullptr) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return nullptr;
  PkeyPtr key(
      passphrase != nullptr
          ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>(passphrase))
          : PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr));
  ERR_clear_error();  // Expected failures must not leave errors for later tests.
  return key;
}

// Verifies `certFile` against the CA in `caFile` (as a TLS peer would, for
// sslserver purpose); returns X509_V_OK or the verification error.
int verify(const std::string& certFile, const std::string& caFile) {
  X509Ptr cert = loadCert(certFile);
  EXPECT_NE(cert, nullptr) << certFile;
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  EXPECT_EQ(X509_STORE_load_file(store.get(), caFile.c_str()), 1) << caFile;
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!cert || !store || !ctx) return -1;
  EXPECT_EQ(X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr), 1);
  EXPECT_EQ(X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER), 1);
  int ok = X509_verify_cert(ctx.get());
  int error = X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  EXPECT_EQ(ok == 1, error == X509_V_OK);
  return error;
}

mode_t modeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// One PKI for the suite: RSA key generation is the slow part, more so under ASan.
class TestPkiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  static TestPki* pki_;
};
TestPki* TestPkiTest::pki_ = nullptr;

TEST_F(TestPkiTest, CaSignedCertificatesVerify) {
  EXPECT_EQ(verify(pki_->server.certFile, pki_->caFile), X509_V_OK);
  EXPECT_EQ(verify(pki_->client.certFile, pki_->caFile), X509_V_OK);
  EXPECT_EQ(verify(pki_->wrongHost.certFile, pki_->caFile), X509_V_OK);
  EXPECT_EQ(verify(pki_->encryptedKey.certFile, pki_->caFile), X509_V_OK);
}

TEST_F(TestPkiTest, OtherCaSignedVerifiesOnlyAgainstOtherCa) {
  EXPECT_EQ(verify(pki_->otherCaSigned.certFile, pki_->caFile),
            X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  EXPECT_EQ(verify(pki_->otherCaSigned.certFile, pki_->otherCaFile), X509_V_OK);
  EXPECT_NE(verify(pki_->server.certFile, pki_->otherCaFile), X509_V_OK);
}

TEST_F(TestPkiTest, ExpiredFailsAsExpired) {
  EXPECT_EQ(verify(pki_->expired.certFile, pki_->caFile), X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST_F(TestPkiTest, KeysMatchCertificatesAndAreMode0600) {
  for (const CertAndKey* pair :
       {&pki_->server, &pki_->client, &pki_->otherCaSigned, &pki_->wrongHost, &pki_->expired}) {
    X509Ptr cert = loadCert(pair->certFile);
    PkeyPtr key = loadKey(pair->keyFile);
    ASSERT_NE(cert, nullptr) << pair->certFile;
    ASSERT_NE(key, nullptr) << pair->keyFile;
    EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1) << pair->certFile;
    EXPECT_EQ(EVP_PKEY_get_base_id(key.get()), EVP_PKEY_RSA);
    EXPECT_EQ(EVP_PKEY_get_bits(key.get()), 2048);
    EXPECT_EQ(modeOf(pair->keyFile), 0600u) << pair->keyFile;
  }
  EXPECT_EQ(modeOf(pki_->encryptedKey.keyFile), 0600u);
}

TEST_F(TestPkiTest, EncryptedKeyLoadsOnlyWithPassphrase) {
  EXPECT_EQ(loadKey(pki_->encryptedKey.keyFile), nullptr);
  EXPECT_EQ(loadKey(pki_->encryptedKey.keyFile, "wrong-passphrase"), nullptr);
  PkeyPtr key = loadKey(pki_->encryptedKey.keyFile, pki_->keyPassphrase.c_str());
  ASSERT_NE(key, nullptr);
  X509Ptr cert = loadCert(pki_->encryptedKey.certFile);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);
}

TEST_F(TestPkiTest, HostAndIpChecks) {
  X509Ptr server = loadCert(pki_->server.certFile);
  X509Ptr client = loadCert(pki_->client.certFile);
  X509Ptr wrongHost = loadCert(pki_->wrongHost.certFile);
  ASSERT_TRUE(server && client && wrongHost);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_host(server.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(client.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(wrongHost.get(), "127.0.0.1", 0), 0);
  EXPECT_EQ(X509_check_host(wrongHost.get(), "localhost", 0, 0, nullptr), 0);
  EXPECT_EQ(X509_check_ip_asc(wrongHost.get(), "127.0.0.2", 0), 1);
}

TEST_F(TestPkiTest, CertificatesAreV3WithDistinctSerials) {
  X509Ptr ca = loadCert(pki_->caFile);
  X509Ptr server = loadCert(pki_->server.certFile);
  X509Ptr client = loadCert(pki_->client.certFile);
  ASSERT_TRUE(ca && server && client);
  EXPECT_EQ(X509_get_version(server.get()), X509_VERSION_3);
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_check_ca(server.get()), 0);
  EXPECT_NE(X509_get0_subject_key_id(server.get()), nullptr);
  EXPECT_NE(X509_get0_authority_key_id(server.get()), nullptr);
  EXPECT_NE(
      ASN1_INTEGER_cmp(X509_get0_serialNumber(server.get()), X509_get0_serialNumber(client.get())),
      0);
  EXPECT_NE(
      ASN1_INTEGER_cmp(X509_get0_serialNumber(ca.get()), X509_get0_serialNumber(server.get())), 0);
}

TEST_F(TestPkiTest, GarbageFileIsNotPem) {
  EXPECT_EQ(loadCert(pki_->garbageFile), nullptr);
  EXPECT_EQ(loadKey(pki_->garbageFile), nullptr);
  ERR_clear_error();
}

TEST(TestPkiLifetimeTest, DirectoryIsRemovedOnDestruction) {
  std::string dir;
  {
    TestPki pki;
    dir = pki.dir();
    EXPECT_TRUE(std::filesystem::is_directory(dir));
    EXPECT_TRUE(std::filesystem::exists(pki.server.keyFile));
    EXPECT_EQ(modeOf(dir), 0700u);  // mkdtemp's mode: keys are not exposed.
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

}  // namespace
}  // namespace testing
}  // namespace mesos
