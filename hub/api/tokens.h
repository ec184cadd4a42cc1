#pragma once

// Long-lived bearer tokens for the API. Only a SHA-256 digest of each token is kept (in
// `<data_dir>/tokens.json`, mode 0600), so reading the file does not give access; the token
// itself is shown once, when created.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace hearth::hub {

struct TokenInfo {
    std::string name;
    std::string digest; // hex SHA-256 of the token
    std::int64_t created_ms = 0;
};

class TokenStore {
public:
    explicit TokenStore(std::filesystem::path file) : m_file(std::move(file)) {}

    // Reads the file; a missing file is an empty store. Errors: unreadable or corrupt file.
    tl::expected<void, std::string> load();
    // Creates a token named `name` and saves the store; returns the token.
    tl::expected<std::string, std::string> create(const std::string& name, std::int64_t now_ms);
    tl::expected<bool, std::string> revoke(const std::string& name);
    [[nodiscard]] bool verify(const std::string& token) const;
    [[nodiscard]] std::vector<TokenInfo> list() const;

private:
    tl::expected<void, std::string> save() const;

    std::filesystem::path m_file;
    mutable std::mutex m_mutex;
    std::vector<TokenInfo> m_tokens;
};

std::string sha256_hex(const std::string& data);

} // namespace hearth::hub
