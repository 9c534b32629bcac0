// SPDX-License-Identifier: AGPL-3.0-or-later
// BrokerConfig: the typed content of x2gobroker.conf (PROTOCOL.md §2.3, §2.4) plus the
// environment overrides of §2.1. Defaults and types are the reference's. Filled and validated
// once per load by config/broker_config_loader; read-only afterwards.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace x2gobroker::core {

// One [broker_<name>] section. Keys the loader does not know are kept in `extra` (ldap...).
struct BackendSection {
  bool enable = false;
  std::string session_profiles;   // profile file (inifile, yaml)
  std::string auth_mech;          // "" = default-auth-mech
  std::string user_db;
  std::string group_db;
  bool use_load_checker = false;
  std::string agent_query_mode;   // "" = default
  std::string agent_hostkey_policy;
  std::string desktop_shell = "KDE";  // zeroconf
  std::map<std::string, std::string> extra;
};

// Values taken from the process environment or /etc/x2go/broker/defaults.conf (§2.1).
struct BrokerEnvironment {
  std::string config_file = "/etc/x2go/x2gobroker.conf";
  std::optional<std::string> session_profiles;  // X2GOBROKER_SESSIONPROFILES: overrides the config
  bool debug = false;
  std::string default_backend = "inifile";
  std::string agent_cmd = "/usr/lib/x2go/x2gobroker-agent";
  std::string agent_user = "x2gobroker";
  std::string daemon_user = "x2gobroker";
  std::string daemon_group = "x2gobroker";
  std::string authservice_socket = "/run/x2gobroker/x2gobroker-authservice.socket";
  std::string loadchecker_socket = "/run/x2gobroker/x2gobroker-loadchecker.socket";
};

struct BrokerConfig {
  std::string source;  // file the configuration came from
  BrokerEnvironment env;

  // [global]
  bool check_credentials = true;
  bool require_password = true;
  bool require_cookie = false;
  bool use_static_cookie = false;
  int64_t auth_timeout = 36000;
  std::string cookie_directory = "/var/lib/x2gobroker/cookies";
  bool verify_ip = true;
  std::vector<std::string> pre_auth_scripts;
  std::vector<std::string> post_auth_scripts;
  std::vector<std::string> select_session_scripts;
  int64_t optional_scripts_timeout = 5;              // our extension: seconds per script run
  std::string optional_scripts_on_failure = "deny";  // our extension: deny | continue
  std::optional<std::string> my_cookie;
  std::string my_cookie_file = "/etc/x2go/broker/x2gobroker.authid";
  bool enable_plain_output = true;
  bool enable_json_output = true;
  bool enable_uccs_output = false;
  std::string my_uccs_url_base = "http://localhost:8080/";
  std::string default_auth_mech = "pam";
  std::string default_user_db = "libnss";
  std::string default_group_db = "libnss";
  bool ignore_primary_group_memberships = true;
  bool default_session_autologin = false;
  std::string default_authorized_keys = "%h/.x2go/authorized_keys";
  std::string default_sshproxy_authorized_keys = "%h/.x2go/authorized_keys";
  std::string default_agent_query_mode = "NONE";
  std::string default_agent_hostkey_policy = "RejectPolicy";
  bool default_portscan_x2goservers = true;
  bool default_use_load_checker = false;
  int64_t load_checker_intervals = 300;

  // Our extensions for the agents (README "Load-balanced farm with agents").
  std::string agent_ssh_directory;        // broker key pair(s); "" = ~/.ssh of the broker's user
  std::string agent_known_hosts;          // pinned host keys; "" = <agent_ssh_directory>/known_hosts
  int64_t agent_connect_timeout = 5;      // seconds for TCP connect, SSH handshake and login
  int64_t agent_command_timeout = 15;     // seconds for one agent task
  int64_t agent_idle_timeout = 300;       // seconds an unused SSH connection stays open
  int64_t suspend_wait_timeout = 5;       // seconds to wait until a taken-over session shows `S`
  bool login_must_match_user = true;      // §10.5: agent tasks only for the authenticated user
  int64_t autologin_key_lifetime = 20;    // seconds until a temporary key is removed (§10.4)
  bool autologin_key_expiry_time = true;  // add OpenSSH's expiry-time option (OpenSSH >= 8.2)
  bool autologin_key_from_client = false; // add from="<client address>"
  std::string key_deletion_directory = "/var/lib/x2gobroker/key-deletions";

  // [broker_<name>] sections, keyed by <name>; always holds inifile, zeroconf, yaml, base, ldap.
  std::map<std::string, BackendSection> backends;

  // [authmech_https_get]
  std::optional<std::string> https_get_host;
  std::optional<std::string> https_get_path;
  std::optional<std::string> https_get_port;
  std::optional<std::string> https_get_ca_file;  // our extension: CA bundle; unset = system CAs

  // Returns the section of a backend, or nullptr if the name is unknown.
  const BackendSection* Backend(const std::string& name) const {
    auto it = backends.find(name);
    return it == backends.end() ? nullptr : &it->second;
  }
  // Auth mechanism of a backend (§2.5), lower-cased.
  std::string AuthMechFor(const std::string& backend) const;
  // Agent query mode of a backend, upper-cased, before the per-profile override (§2.5).
  std::string AgentQueryModeFor(const std::string& backend) const;
};

}  // namespace x2gobroker::core
