//! Tags and skills: list and get tags, add and remove a learner's tags, update a learner's skills, skill levels.
