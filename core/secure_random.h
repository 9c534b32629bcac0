// SPDX-License-Identifier: AGPL-3.0-or-later
// Cryptographic randomness (getrandom(2), the kernel CSPRNG) and constant-time comparison.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace x2gobroker::core {

// Fills `buffer` with random bytes; aborts the process if the kernel cannot deliver them
// (continuing with weak tokens would be worse).
void SecureRandomBytes(void* buffer, size_t size);
// A random UUIDv4 in lower-case text form (36 characters), the wire format of AUTHIDs.
std::string RandomUuid4();
// `bytes` random bytes as lower-case hex (2 × bytes characters), for unguessable file names.
std::string RandomHex(size_t bytes);
// A random number in [0, bound) without modulo bias. REQUIRES: bound > 0.
uint64_t RandomBelow(uint64_t bound);
// True if `text` is a 36-character lower- or upper-case UUID.
bool LooksLikeUuid(std::string_view text);
// Compares in time that depends only on the lengths, not on where the texts differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace x2gobroker::core
