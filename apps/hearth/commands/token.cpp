// `hearth token create|list|revoke`: long-lived bearer tokens for the hub's API.

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "api/tokens.h"
#include "commands/registry.h"

namespace hearth::apps {
namespace {

struct TokenOptions {
    std::string data_dir = "hearth-data";
    std::string name;
};

std::unique_ptr<hub::TokenStore> open_tokens(const TokenOptions& o, int& exit_code) {
    std::error_code ec;
    std::filesystem::create_directories(o.data_dir, ec);
    auto store =
        std::make_unique<hub::TokenStore>(std::filesystem::path(o.data_dir) / "tokens.json");
    if (auto r = store->load(); !r) {
        std::cerr << "hearth token: " << r.error() << "\n";
        exit_code = exit_bad_input;
        return nullptr;
    }
    return store;
}

const bool registered = register_command(
    {51, [](CLI::App& app, CommandContext& ctx) {
         auto o = std::make_shared<TokenOptions>();
         auto* cmd = app.add_subcommand("token", "Create, list or revoke API tokens");
         cmd->require_subcommand(1);
         auto* create = cmd->add_subcommand(
             "create", "Create a token and print it (shown once; only its digest is stored)");
         create->add_option("name", o->name, "A name to recognise the token by (e.g. phone)")
             ->required();
         auto* list = cmd->add_subcommand("list", "List token names and creation times");
         auto* revoke = cmd->add_subcommand("revoke", "Revoke the tokens with this name");
         revoke->add_option("name", o->name, "The token's name")->required();
         for (auto* sub : {create, list, revoke}) {
             sub->add_option("--data", o->data_dir, "The hub's data folder")->capture_default_str();
         }
         create->callback([o, &ctx] {
             auto store = open_tokens(*o, ctx.exit_code);
             if (!store) {
                 return;
             }
             const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
             auto token = store->create(o->name, now);
             if (!token) {
                 std::cerr << "hearth token: " << token.error() << "\n";
                 ctx.exit_code = exit_bad_input;
                 return;
             }
             std::cout << *token << "\n";
         });
         list->callback([o, &ctx] {
             auto store = open_tokens(*o, ctx.exit_code);
             if (!store) {
                 return;
             }
             for (const auto& t : store->list()) {
                 std::cout << t.name << "\t" << t.created_ms << "\n";
             }
         });
         revoke->callback([o, &ctx] {
             auto store = open_tokens(*o, ctx.exit_code);
             if (!store) {
                 return;
             }
             auto r = store->revoke(o->name);
             if (!r) {
                 std::cerr << "hearth token: " << r.error() << "\n";
                 ctx.exit_code = exit_bad_input;
             } else if (!*r) {
                 std::cerr << "hearth token: no token named " << o->name << "\n";
                 ctx.exit_code = exit_bad_input;
             }
         });
     }});

} // namespace
} // namespace hearth::apps
