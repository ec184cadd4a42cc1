// A deterministic stand-in for libFuzzer's driver, so that every fuzz target runs in the
// ordinary test suite (under the sanitizers in the asan build): each seed file as it is, then
// many mutations of it (bit flips, byte overwrites, truncations, insertions, duplicated chunks),
// and random garbage. A crash, hang or sanitizer report fails the test.
//
// usage: NAME_smoke ITERATIONS SEED_FILE...

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::vector<std::uint8_t>& input) {
    LLVMFuzzerTestOneInput(input.empty() ? nullptr : input.data(), input.size());
}

std::vector<std::uint8_t> mutate(std::vector<std::uint8_t> data, std::mt19937& rng) {
    std::uniform_int_distribution<int> kind(0, 5);
    const int rounds = 1 + static_cast<int>(rng() % 4);
    for (int r = 0; r < rounds; ++r) {
        if (data.empty()) {
            data.push_back(static_cast<std::uint8_t>(rng()));
            continue;
        }
        const std::size_t pos = rng() % data.size();
        switch (kind(rng)) {
        case 0:
            data[pos] ^= static_cast<std::uint8_t>(1U << (rng() % 8));
            break;
        case 1:
            data[pos] = static_cast<std::uint8_t>(rng());
            break;
        case 2:
            data.resize(pos);
            break;
        case 3:
            data.insert(data.begin() + static_cast<std::ptrdiff_t>(pos),
                        static_cast<std::uint8_t>(rng()));
            break;
        case 4: {
            const std::size_t len = std::min<std::size_t>(data.size() - pos, 1 + rng() % 64);
            std::vector<std::uint8_t> chunk(data.begin() + static_cast<std::ptrdiff_t>(pos),
                                            data.begin() + static_cast<std::ptrdiff_t>(pos + len));
            const std::size_t at = rng() % data.size();
            data.insert(data.begin() + static_cast<std::ptrdiff_t>(at), chunk.begin(), chunk.end());
            break;
        }
        default: {
            const std::uint8_t interesting[] = {0x00, 0xFF, 0x7F, 0x80, 0x40, 0x0E, 0x0C};
            data[pos] = interesting[rng() % sizeof interesting];
            break;
        }
        }
    }
    return data;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s ITERATIONS [SEED_FILE...]\n", argv[0]);
        return 1;
    }
    const long iterations = std::strtol(argv[1], nullptr, 10);
    std::mt19937 rng(20261125U);
    std::vector<std::vector<std::uint8_t>> seeds;
    for (int i = 2; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    seeds.emplace_back();
    for (const auto& seed : seeds) {
        run(seed);
    }
    long runs = static_cast<long>(seeds.size());
    for (long i = 0; i < iterations; ++i) {
        const auto& seed = seeds[static_cast<std::size_t>(i) % seeds.size()];
        run(mutate(seed, rng));
        ++runs;
    }
    for (int i = 0; i < 64; ++i) {
        std::vector<std::uint8_t> garbage(rng() % 512);
        for (auto& b : garbage) {
            b = static_cast<std::uint8_t>(rng());
        }
        run(garbage);
        ++runs;
    }
    std::printf("%ld inputs, no crash\n", runs);
    return 0;
}
