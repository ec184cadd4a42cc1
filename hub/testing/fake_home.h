#pragma once

// A Home for automation tests: states in a real StateMachine on a ManualClock, and every service
// call, notification and fired event recorded. Optionally it plays the devices (a service call
// changes the entity's state) and the event bus (a fired event comes straight back to the
// engine), which is how the hub behaves, minus MQTT. Also small builders for automation models,
// so tests read like the YAML they stand for. Test-only; not thread-safe.

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "automation/engine.h"
#include "automation/home.h"
#include "core/clock.h"
#include "core/state_machine.h"

namespace hearth::hub::testing {

class FakeHome final : public automation::Home {
public:
    enum class ServiceEffect { RecordOnly, ChangeState };
    enum class EventDelivery { RecordOnly, ToEngine };

    explicit FakeHome(const Clock& clock);

    // State changes (set, and service effects) are fed to this engine; nullptr: none.
    void attach(automation::AutomationEngine* engine) { m_engine = engine; }
    void set_service_effect(ServiceEffect effect) { m_effect = effect; }
    void set_event_delivery(EventDelivery delivery) { m_delivery = delivery; }
    // call_service for this entity fails with `error`.
    void fail_service(const std::string& entity_id, std::string error);

    // Sets a state at the clock's time and feeds the change to the attached engine.
    std::optional<StateChangedEvent> set(const std::string& entity_id, std::string state,
                                         nlohmann::json attributes = nlohmann::json::object());

    [[nodiscard]] std::optional<EntityState> state(const std::string& entity_id) const override;
    [[nodiscard]] std::vector<EntityState> states() const override;
    // Fails for an entity that was never set (as the hub does for unknown entities).
    tl::expected<void, std::string> call_service(const ServiceCall& call) override;
    void fire_event(const std::string& event_type, const nlohmann::json& data) override;
    void notify(const std::string& service, const nlohmann::json& message) override;

    // "light.turn_off light.bedroom" per call, in order.
    [[nodiscard]] std::vector<std::string> call_texts() const;

    std::vector<ServiceCall> calls;
    std::vector<TimestampMs> call_times_ms;
    std::vector<std::pair<std::string, nlohmann::json>> notifications;
    std::vector<std::pair<std::string, nlohmann::json>> events;

private:
    const Clock& m_clock;
    StateMachine m_states;
    automation::AutomationEngine* m_engine = nullptr;
    ServiceEffect m_effect = ServiceEffect::RecordOnly;
    EventDelivery m_delivery = EventDelivery::RecordOnly;
    std::vector<std::pair<std::string, std::string>> m_failures;
};

// ---- model builders -------------------------------------------------------------------------

automation::Trigger state_trigger(std::string entity_id, std::vector<std::string> to = {},
                                  std::vector<std::string> from = {},
                                  std::optional<automation::DurationMs> for_ms = std::nullopt,
                                  std::string id = "0");
automation::Trigger numeric_trigger(std::string entity_id, std::optional<double> above,
                                    std::optional<double> below,
                                    std::optional<automation::DurationMs> for_ms = std::nullopt,
                                    std::string id = "0");
automation::Trigger event_trigger(std::string event_type,
                                  nlohmann::json data = nlohmann::json::object(),
                                  std::string id = "0");

automation::Condition state_condition(std::string entity_id, std::vector<std::string> states,
                                      std::optional<automation::DurationMs> for_ms = std::nullopt);
automation::Condition numeric_condition(std::string entity_id, std::optional<double> above,
                                        std::optional<double> below);
automation::Condition time_condition(std::optional<int> after_s, std::optional<int> before_s,
                                     std::uint8_t weekdays = 0x7f);

// `domain.service` on the given entity ids, with data.
automation::Action service(const std::string& name, std::vector<std::string> entity_ids = {},
                           nlohmann::json data = nlohmann::json::object());
automation::Action area_service(const std::string& name, std::vector<std::string> area_ids);
automation::Action delay(automation::DurationMs duration_ms);
automation::Action fire_event_action(std::string event_type,
                                     nlohmann::json data = nlohmann::json::object());

automation::Automation make_automation(std::string id, std::vector<automation::Trigger> triggers,
                                       std::vector<automation::Action> actions,
                                       automation::Mode mode = automation::Mode::Single,
                                       std::vector<automation::Condition> conditions = {});

automation::HomeConfig with_automations(std::vector<automation::Automation> automations);

} // namespace hearth::hub::testing
