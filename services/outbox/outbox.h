#pragma once

// The notification outbox: rows written in the transaction of the change that
// causes them, later leased to reminder workers (notification_claims.h). The
// queue's rows, and the dedupe key that makes a message's identity, belong to
// the store (store/notification_rows.h); these are the names the follow-up
// code cancels, revives and holds a resource's messages by.

#include "services/store/notification_rows.h"

namespace clinicd::outbox {

// One rendered message for one channel and recipient.
using OutgoingMessage = store::OutgoingNotification;

// Queues a message (store::QueueNotification).
using store::QueueNotification;

// Cancels the undelivered messages about a resource (store::CancelUndelivered).
using store::CancelUndelivered;

// Makes a resource's cancelled messages pending again (store::ReviveCancelled).
using store::ReviveCancelled;

// Holds a resource's pending messages until a time (store::HoldUntil).
using store::HoldUntil;

}  // namespace clinicd::outbox
