#include "api/tokens.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

namespace hearth::hub {

namespace {

std::string to_hex(const unsigned char* data, std::size_t size) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(digits[data[i] >> 4U]);
        out.push_back(digits[data[i] & 0xFU]);
    }
    return out;
}

// Compares without an early exit, so timing does not reveal how much of a digest matched.
bool equal_constant_time(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

} // namespace

std::string sha256_hex(const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
    return to_hex(digest, length);
}

tl::expected<void, std::string> TokenStore::load() {
    std::lock_guard lock(m_mutex);
    m_tokens.clear();
    std::ifstream in(m_file);
    if (!in) {
        return {};
    }
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (!doc.is_array()) {
        return tl::unexpected("tokens: " + m_file.string() + " is not a JSON array");
    }
    for (const auto& t : doc) {
        if (!t.is_object() || !t.contains("digest") || !t["digest"].is_string()) {
            return tl::unexpected("tokens: " + m_file.string() + " has an entry without a digest");
        }
        m_tokens.push_back({t.value("name", ""), t["digest"].get<std::string>(),
                            t.value("created_ms", std::int64_t{0})});
    }
    return {};
}

tl::expected<void, std::string> TokenStore::save() const {
    nlohmann::json doc = nlohmann::json::array();
    for (const auto& t : m_tokens) {
        doc.push_back({{"name", t.name}, {"digest", t.digest}, {"created_ms", t.created_ms}});
    }
    const std::string text = doc.dump(2) + "\n";
    const auto tmp = m_file.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return tl::unexpected("tokens: cannot write " + tmp);
    }
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    fsync(fd) == 0;
    close(fd);
    if (!ok || std::rename(tmp.c_str(), m_file.c_str()) != 0) {
        return tl::unexpected("tokens: cannot write " + m_file.string());
    }
    return {};
}

tl::expected<std::string, std::string> TokenStore::create(const std::string& name,
                                                          std::int64_t now_ms) {
    unsigned char random[32];
    if (RAND_bytes(random, sizeof random) != 1) {
        return tl::unexpected(std::string("tokens: no randomness available"));
    }
    const std::string token = "hearth_" + to_hex(random, sizeof random);
    std::lock_guard lock(m_mutex);
    m_tokens.push_back({name, sha256_hex(token), now_ms});
    if (auto r = save(); !r) {
        m_tokens.pop_back();
        return tl::unexpected(r.error());
    }
    return token;
}

tl::expected<bool, std::string> TokenStore::revoke(const std::string& name) {
    std::lock_guard lock(m_mutex);
    const auto before = m_tokens.size();
    std::erase_if(m_tokens, [&](const TokenInfo& t) { return t.name == name; });
    if (m_tokens.size() == before) {
        return false;
    }
    if (auto r = save(); !r) {
        return tl::unexpected(r.error());
    }
    return true;
}

bool TokenStore::verify(const std::string& token) const {
    if (token.empty()) {
        return false;
    }
    const std::string digest = sha256_hex(token);
    std::lock_guard lock(m_mutex);
    bool found = false;
    for (const auto& t : m_tokens) {
        found = equal_constant_time(t.digest, digest) || found;
    }
    return found;
}

std::vector<TokenInfo> TokenStore::list() const {
    std::lock_guard lock(m_mutex);
    return m_tokens;
}

} // namespace hearth::hub
