package io.devops.common.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class RowMappingTest {

    static class Note {
        UUID id;
        String text;
        String tags;
    }

    private static final RowMapping<Note> NOTES = RowMapping.of(Note::new)
            .column("id", n -> n.id, (n, row, i) -> n.id = row.getUUID(i))
            .column("text", n -> n.text, (n, row, i) -> n.text = row.getString(i))
            .json("tags", n -> n.tags, (n, row, i) -> n.tags = row.getString(i));

    @Test
    void everyStatementNamesTheColumnsOnceInOrderAndCastsJsonAsText() {
        assertThat(NOTES.select()).isEqualTo("id, text, tags::text as tags");
        assertThat(NOTES.select("n")).isEqualTo("n.id, n.text, n.tags::text as tags");
        assertThat(NOTES.insert("s.note")).isEqualTo("insert into s.note (id, text, tags) values ($1, $2, $3::text::jsonb)");
        assertThat(NOTES.update("s.note")).isEqualTo("update s.note set (text, tags) = ($2, $3::text::jsonb) where id = $1");
    }

    @Test
    void bindsTheValuesInColumnOrder() {
        Note note = new Note();
        note.id = UUID.randomUUID();
        note.text = "disk full";
        note.tags = "[\"ops\"]";
        var tuple = NOTES.tuple(note);
        assertThat(tuple.size()).isEqualTo(3);
        assertThat(tuple.getUUID(0)).isEqualTo(note.id);
        assertThat(tuple.getString(1)).isEqualTo("disk full");
        assertThat(tuple.getString(2)).isEqualTo("[\"ops\"]");
    }
}
