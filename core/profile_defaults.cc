// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/profile_defaults.h"

#include <array>

namespace x2gobroker::core {
namespace {
using enum ValueType;
constexpr std::array<ProfileDefault, 35> kDefaults = {{
    {"command", kString, "TERMINAL"},
    {"kdrive", kBool, "false"},
    {"defsndport", kBool, "true"},
    {"useiconv", kBool, "false"},
    {"iconvfrom", kString, "UTF-8"},
    {"height", kInt, "600"},
    {"export", kString, ""},
    {"quality", kInt, "9"},
    {"fullscreen", kBool, "false"},
    {"layout", kString, ""},
    {"useexports", kBool, "true"},
    {"width", kInt, "800"},
    {"speed", kInt, "2"},
    {"soundsystem", kString, "pulse"},
    {"print", kBool, "true"},
    {"type", kString, "auto"},
    {"sndport", kInt, "4713"},
    {"xinerama", kBool, "true"},
    {"variant", kString, ""},
    {"usekbd", kBool, "true"},
    {"fstunnel", kBool, "true"},
    {"applications", kList, "TERMINAL,WWWBROWSER,MAILCLIENT,OFFICE"},
    {"multidisp", kBool, "false"},
    {"sshproxyport", kInt, "22"},
    {"sound", kBool, "true"},
    {"rootless", kBool, "true"},
    {"iconvto", kString, "UTF-8"},
    {"soundtunnel", kBool, "true"},
    {"dpi", kInt, "96"},
    {"sshport", kInt, "22"},
    {"setdpi", kInt, "0"},
    {"pack", kString, "16m-jpeg"},
    {"user", kString, "BROKER_USER"},
    {"host", kList, "localhost"},
    {"directrdp", kBool, "false"},
}};

constexpr std::array<std::string_view, 11> kDesktops = {"KDE",   "GNOME", "XFCE",  "CINNAMON", "MATE",   "LXDE",
                                                        "TRINITY", "UNITY", "ICEWM", "OPENBOX",  "XDMCP"};
}  // namespace

std::span<const ProfileDefault> BuiltinProfileDefaults() { return kDefaults; }

const ProfileDefault* FindProfileDefault(std::string_view key) {
  for (const ProfileDefault& d : kDefaults) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

bool IsDesktopCommand(std::string_view upper_command) {
  for (std::string_view d : kDesktops) {
    if (d == upper_command) return true;
  }
  return false;
}

}  // namespace x2gobroker::core
