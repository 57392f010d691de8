using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cadence.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<ulong>(
                name: "TransactionId",
                table: "Events",
                type: "xid8",
                nullable: false,
                defaultValueSql: "pg_current_xact_id()");

            migrationBuilder.CreateIndex(
                name: "IX_Events_TransactionId_Id",
                table: "Events",
                columns: new[] { "TransactionId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_TransactionId_Id",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "TransactionId",
                table: "Events");
        }
    }
}
